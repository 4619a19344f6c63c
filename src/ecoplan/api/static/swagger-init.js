/* /api/docs: Swagger UI from the packaged swagger-ui-dist (npm), no CDN and no inline
   script (the CSP allows scripts from this origin only). */
(function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: el.dataset.openapi,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
})();
