// CityOps service worker: shows a report's change pushed by the city, opens it on a click.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { title: event.data ? event.data.text() : "" };
  }
  const title = message.title || "CityOps";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: message.body || "",
      data: { url: message.url || "/" },
      lang: "vi",
      tag: message.url || undefined,
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.openWindow(url));
});
