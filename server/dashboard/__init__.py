"""The /dashboard page: static HTML, JS and CSS served by tierd, and the JSON it polls."""
