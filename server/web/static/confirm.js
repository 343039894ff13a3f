// Forms that ask before they act carry their question in data-confirm: the page policy
// (script-src 'self') allows no inline handler, so one listener here asks for all of them.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
