// Starts Swagger UI on /api/docs from a file of our own: the Content-Security-Policy allows no inline script.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // No validator badge: it would send the document to validator.swagger.io.
    validatorUrl: null
  });
});
