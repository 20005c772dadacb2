// The confidence slider on the claim edit form: kept in step with the number input.
// The number input is the form field and works alone; without this script the slider stays
// hidden. Only values move between the two inputs (no markup is inserted).
(function () {
  "use strict";

  function clamp(value) {
    return Math.min(100, Math.max(0, Math.round(value)));
  }

  document.querySelectorAll("[data-confidence-slider]").forEach(function (slider) {
    var number = document.getElementById(slider.getAttribute("data-confidence-slider"));
    if (!number) {
      return;
    }
    function fromNumber() {
      var value = parseFloat(number.value);
      if (!isNaN(value)) {
        slider.value = String(clamp(value));
      }
    }
    slider.addEventListener("input", function () {
      number.value = slider.value;
    });
    number.addEventListener("input", fromNumber);
    fromNumber();
    var wrap = slider.closest("[data-confidence-slider-wrap]");
    if (wrap) {
      wrap.hidden = false;
    }
  });
})();
