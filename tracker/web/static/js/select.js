// Selection → excerpt. A selection inside the source text becomes code-point offsets into
// Source.text, and a link to the new-claim page with source_id, start and end.
//
// Every segment of the text is a span with data-start (its code-point offset). A boundary
// point's offset is its segment's data-start plus the code points between the segment's start
// and the point. JS strings count UTF-16 units, so text is measured with Array.from (code
// points): "😀" is 2 units but 1 code point, as in Python.
(function () {
  "use strict";

  var text = document.getElementById("source-text");
  var bar = document.getElementById("selection-bar");
  var link = document.getElementById("make-excerpt");
  var label = document.getElementById("selection-range");
  var hint = document.getElementById("select-hint");
  if (!text || !bar || !link || !label) {
    return;
  }
  if (hint) {
    hint.hidden = false;
  }

  function codePoints(s) {
    return Array.from(s).length;
  }

  function segmentOf(node) {
    var el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    while (el && el !== text) {
      if (el.hasAttribute("data-start")) {
        return el;
      }
      el = el.parentElement;
    }
    return null;
  }

  // The code-point offset in Source.text of the boundary point (node, offset), or null.
  function sourceOffset(node, offset) {
    if (node === text) {
      var child = text.childNodes[offset];
      if (!child) {
        return Number(text.dataset.length);
      }
      return child.nodeType === Node.ELEMENT_NODE && child.hasAttribute("data-start")
        ? Number(child.getAttribute("data-start"))
        : null;
    }
    var segment = segmentOf(node);
    if (!segment) {
      return null;
    }
    var range = document.createRange();
    range.setStart(segment, 0);
    range.setEnd(node, offset);
    return Number(segment.getAttribute("data-start")) + codePoints(range.toString());
  }

  // The selection as {start, end} code points (clamped to the text), or null.
  function selectedSpan() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    var range = selection.getRangeAt(0);
    if (!range.intersectsNode(text)) {
      return null;
    }
    var start = text.contains(range.startContainer)
      ? sourceOffset(range.startContainer, range.startOffset)
      : 0;
    var end = text.contains(range.endContainer)
      ? sourceOffset(range.endContainer, range.endOffset)
      : Number(text.dataset.length);
    if (start === null || end === null || start >= end) {
      return null;
    }
    return { start: start, end: end };
  }

  function update(event) {
    if (event && event.target instanceof Node && bar.contains(event.target)) {
      return; // using the bar itself must not change what it offers
    }
    var span = selectedSpan();
    if (!span) {
      bar.hidden = true;
      return;
    }
    var url = new URL(text.dataset.newClaimUrl, window.location.href);
    url.searchParams.set("source_id", text.dataset.sourceId);
    url.searchParams.set("start", String(span.start));
    url.searchParams.set("end", String(span.end));
    link.href = url.pathname + url.search;
    link.dataset.start = String(span.start);
    link.dataset.end = String(span.end);
    label.textContent =
      "Selected characters " + span.start + "–" + span.end + " (" + (span.end - span.start) + ")";
    bar.hidden = false;
  }

  document.addEventListener("mouseup", update);
  document.addEventListener("keyup", update);
  document.addEventListener("touchend", update);
})();
