// The consent banner's buttons call the Leadcap API (through the queue stub if it has not loaded yet).
// The stub, as customers paste it:
//   window.leadcap = window.leadcap || function () { (leadcap.q = leadcap.q || []).push(arguments) };
window.leadcap =
  window.leadcap ||
  function leadcap(...args) {
    window.leadcap.q = window.leadcap.q || [];
    window.leadcap.q.push(args);
  };
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("accept").addEventListener("click", () => window.leadcap("consent", true));
  document.getElementById("reject").addEventListener("click", () => window.leadcap("consent", false));
});
