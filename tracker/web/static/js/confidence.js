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
    var state = number.parentNode.querySelector("[data-confidence-state]");
    // An empty number is "not set": the slider is dimmed and says so, never a value of 50 %.
    function showState() {
      var unset = number.value.trim() === "";
      slider.classList.toggle("unset", unset);
      slider.setAttribute("aria-valuetext", unset ? "not set" : number.value + " %");
      if (state) {
        state.textContent = unset ? "not set" : "";
      }
    }
    function fromNumber() {
      var value = parseFloat(number.value);
      if (!isNaN(value)) {
        slider.value = String(clamp(value));
      }
      showState();
    }
    slider.addEventListener("input", function () {
      number.value = slider.value;
      showState();
    });
    number.addEventListener("input", fromNumber);
    fromNumber();
    var wrap = slider.closest("[data-confidence-slider-wrap]");
    if (wrap) {
      wrap.hidden = false;
    }
  });
})();
