// A tiny single-page app: links change the route with history.pushState and render the view;
// the contact view has a form container that the widget fills in.
const view = document.getElementById("view");
function render() {
  const page = new URLSearchParams(location.search).get("page");
  view.replaceChildren();
  if (page === "contact") {
    const title = document.createElement("h2");
    title.textContent = "Contact";
    const container = document.createElement("div");
    container.dataset.leadcapForm = "contact";
    view.append(title, container);
  } else {
    const p = document.createElement("p");
    p.textContent = "Home view.";
    view.append(p);
  }
}
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-route]");
  if (!link) return;
  event.preventDefault();
  history.pushState(null, "", link.dataset.route);
  render();
});
addEventListener("popstate", render);
render();
