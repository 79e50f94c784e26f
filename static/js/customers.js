// Log interaction: the customer search answers as you type (htmx); the keyboard moves from the
// search box to the matches with ↓ or Enter, so a contact is logged without the mouse.
(function () {
  "use strict";
  const search = document.getElementById("id_customer_query");
  if (!search) {
    return;
  }
  let focusMatchesAfterSwap = false;
  // The picked match, or the first one: where the keyboard lands in the list of matches.
  const matches = () =>
    document.querySelector("#customer-field input[name=customer]:checked") ||
    document.querySelector("#customer-field input[name=customer]");

  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && matches()) {
      event.preventDefault();
      matches().focus();
    } else if (event.key === "Enter") {
      // Enter searches now instead of submitting the form.
      event.preventDefault();
      focusMatchesAfterSwap = true;
      if (window.htmx) {
        window.htmx.trigger(search, "search");
      }
    }
  });

  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id === "customer-field" && focusMatchesAfterSwap && matches()) {
      focusMatchesAfterSwap = false;
      matches().focus();
    }
  });
})();
