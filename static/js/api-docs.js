/* /api/v1/docs: starts Swagger UI (served from the install) with the settings the page
   carries as a JSON data block, so the page needs no inline script (CSP). */
(function () {
  "use strict";
  function start() {
    var config = JSON.parse(document.getElementById("swagger-settings").textContent);
    config.dom_id = "#swagger-ui";
    config.presets = [window.SwaggerUIBundle.presets.apis];
    window.SwaggerUIBundle(config);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
