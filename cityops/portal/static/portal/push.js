// The preferences page's "notifications in this browser" button (progressive: without
// JavaScript or push support the section stays hidden).
(function () {
  const section = document.getElementById("push");
  if (!section || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  const button = section.querySelector("button");
  const status = section.querySelector("[role=status]");
  const csrf = section.querySelector("input[name=csrfmiddlewaretoken]").value;
  const texts = section.dataset;

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function show(subscribed, message) {
    button.setAttribute("aria-pressed", subscribed ? "true" : "false");
    button.textContent = subscribed ? texts.off : texts.on;
    if (message) status.textContent = message;
  }

  async function post(url, subscription) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(subscription),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error || texts.failed);
    return answer;
  }

  async function start() {
    const registration = await navigator.serviceWorker.register(texts.worker, { scope: "/" });
    let subscription = await registration.pushManager.getSubscription();
    show(Boolean(subscription));
    section.hidden = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        subscription = await registration.pushManager.getSubscription();
        if (subscription) {
          const answer = await post(texts.unsubscribe, subscription.toJSON());
          await subscription.unsubscribe();
          subscription = null;
          show(false, answer.message);
        } else {
          subscription = await registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: keyBytes(texts.key),
          });
          const answer = await post(texts.subscribe, subscription.toJSON());
          show(true, answer.message);
        }
      } catch (error) {
        status.textContent = Notification.permission === "denied" ? texts.denied : texts.failed;
      } finally {
        button.disabled = false;
      }
    });
  }
  start().catch(() => {});
})();
