// The claim form: live duplicate suggestions while the reviewer types, and the confidence
// slider kept in step with its number field. Without this script the form still works (the
// "Check for duplicates" button shows the same candidates). User text goes in with textContent
// only, never innerHTML.
(function () {
  "use strict";

  const DEBOUNCE_MS = 250;
  const MAX_CHARS = 2000;
  const form = document.getElementById("claim-form");
  const panel = document.getElementById("candidates");
  if (!form || !panel) {
    return;
  }
  const textField = form.elements.namedItem("text");
  const languageField = form.elements.namedItem("language");
  const linkField = document.getElementById("link_to");
  const url = form.dataset.candidatesUrl;
  const canLink = form.dataset.canLink === "yes";
  let timer = null;
  let inFlight = null;
  let lastQuery = null;

  // Controls that only make sense with the script: creating directly (the candidates show
  // while typing) becomes the main button; "Check for duplicates" stays the default on Enter.
  for (const element of document.querySelectorAll("[data-js-show]")) {
    element.hidden = false;
    element.classList.add("primary");
    for (const other of form.querySelectorAll('button[name="action"][value="check"]')) {
      other.classList.remove("primary");
    }
  }

  function make(tag, className, text) {
    const element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    if (text !== undefined) {
      element.textContent = text;
    }
    return element;
  }

  function showStatus(message, className) {
    panel.replaceChildren(make("p", className || "status", message));
  }

  function candidateItem(candidate) {
    const item = make("li", "candidate");
    item.dataset.claimId = String(candidate.id);
    const link = make("a", "candidate-text", candidate.text);
    // The server builds the address; only same-site paths are followed.
    link.href = typeof candidate.url === "string" && candidate.url.startsWith("/") ? candidate.url : "#";
    item.append(link);

    const facts = make("p", "candidate-meta");
    const verdict = String(candidate.verdict || "");
    facts.append(make("span", "verdict verdict-" + verdict.replace(/[^a-z_]/g, ""), String(candidate.verdict_label)));
    facts.append(make("span", "candidate-confidence", "confidence " + String(candidate.confidence_text)));
    const open = make("a", "", "claim #" + candidate.id);
    open.href = link.href;
    facts.append(open);
    item.append(facts);

    const meta = make("p", "candidate-meta muted");
    const level = String(candidate.level);
    meta.append(make("span", "level level-" + level.replace(/[^a-z]/g, ""), String(candidate.level_text)));
    meta.append(make("span", "score", "(match score " + Number(candidate.score).toFixed(1) + ")"));
    if (candidate.tiers) meta.append(make("span", "tiers", "(" + String(candidate.tiers) + ")"));
    for (const code of candidate.warnings || []) {
      meta.append(make("span", "warning", String(code).replace(/_/g, " ") + " differs"));
    }
    item.append(meta);

    if (canLink && linkField) {
      const button = make("button", "link-button", "Link to this claim");
      button.type = "submit";
      button.name = "action";
      button.value = "link";
      button.setAttribute("form", form.id);
      button.append(make("span", "visually-hidden", " (claim " + candidate.id + ")"));
      button.addEventListener("click", function () {
        linkField.value = String(candidate.id);
      });
      item.append(button);
    }
    return item;
  }

  function render(candidates) {
    if (!candidates.length) {
      showStatus("No similar claims found.");
      return;
    }
    const intro = candidates.length === 1 ? "1 similar claim." : candidates.length + " similar claims.";
    const status = make("p", "status", intro + (canLink ? " Link the excerpt to one, or create a new claim." : ""));
    const list = make("ol", "candidate-list");
    for (const candidate of candidates) {
      list.append(candidateItem(candidate));
    }
    panel.replaceChildren(status, list);
  }

  async function fetchCandidates(text, language) {
    if (inFlight) {
      inFlight.abort();
    }
    const controller = new AbortController();
    inFlight = controller;
    const params = new URLSearchParams({ text: text });
    if (language) {
      params.set("language", language);
    }
    try {
      const response = await fetch(url + "?" + params.toString(), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      });
      const data = await response.json();
      if (controller !== inFlight) {
        return; // a newer request has started
      }
      if (!response.ok) {
        showStatus(data.error || "Could not check for similar claims.", "error");
        return;
      }
      render(data.candidates || []);
    } catch (error) {
      if (error.name !== "AbortError") {
        showStatus("Could not check for similar claims; use “Check for duplicates”.", "error");
      }
    } finally {
      if (controller === inFlight) {
        inFlight = null;
      }
    }
  }

  function update() {
    const text = textField.value.trim();
    const language = languageField ? languageField.value.trim() : "";
    const query = text + "\u0000" + language;
    if (query === lastQuery) {
      return;
    }
    lastQuery = query;
    if (!text) {
      if (inFlight) {
        inFlight.abort();
        inFlight = null;
      }
      showStatus("Type the claim to see similar claims the team already has.");
      return;
    }
    if (text.length > MAX_CHARS) {
      showStatus("The claim is longer than " + MAX_CHARS + " characters.", "error");
      return;
    }
    fetchCandidates(text, language);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(update, DEBOUNCE_MS);
  }

  if (textField) {
    textField.addEventListener("input", schedule);
    if (languageField) {
      languageField.addEventListener("input", schedule);
    }
    if (panel.dataset.checked === "yes") {
      // The server has just shown the candidates for this text: keep them.
      lastQuery = textField.value.trim() + "\u0000" + (languageField ? languageField.value.trim() : "");
    } else {
      update();
    }
  }
})();
