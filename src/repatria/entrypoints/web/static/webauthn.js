// Security keys (WebAuthn) for the forms marked data-webauthn="create" (register a key) or
// "get" (sign in with one). On submit the form asks its data-options address for a challenge
// (a POST of the form's own fields, CSRF token included), hands the options to the browser,
// puts the key's answer (JSON, binary fields as base64url) in the form's hidden fields and
// submits it. The server checks everything (py_webauthn); this only carries bytes across.
"use strict";

(function () {
  function toBytes(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "===".slice((base64.length + 3) % 4);
    return Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
  }

  function toText(buffer) {
    let binary = "";
    for (const byte of new Uint8Array(buffer)) {
      binary += String.fromCharCode(byte);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withBytes(options) {
    options.challenge = toBytes(options.challenge);
    if (options.user) {
      options.user.id = toBytes(options.user.id);
    }
    for (const list of [options.excludeCredentials, options.allowCredentials]) {
      for (const credential of list || []) {
        credential.id = toBytes(credential.id);
      }
    }
    return options;
  }

  function answerOf(credential) {
    const response = credential.response;
    const answer = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      answer.response.attestationObject = toText(response.attestationObject);
      answer.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      answer.response.authenticatorData = toText(response.authenticatorData);
      answer.response.signature = toText(response.signature);
      answer.response.userHandle = response.userHandle ? toText(response.userHandle) : null;
    }
    return JSON.stringify(answer);
  }

  function say(status, text) {
    status.textContent = text;
    status.className = "notice"; // shown only once it has something to say
  }

  async function present(form, status) {
    const reply = await fetch(form.dataset.options, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    const body = await reply.json();
    if (!reply.ok) {
      throw new Error(body.detail || reply.statusText);
    }
    say(status, form.dataset.waiting);
    const publicKey = withBytes(body.publicKey);
    const credential =
      form.dataset.webauthn === "create"
        ? await navigator.credentials.create({ publicKey })
        : await navigator.credentials.get({ publicKey });
    form.elements.challenge_id.value = body.challenge_id;
    form.elements.credential.value = answerOf(credential);
    form.submit(); // not a submit event: this handler does not run again
  }

  for (const form of document.querySelectorAll("form[data-webauthn]")) {
    const status = form.querySelector("[data-webauthn-status]");
    if (!window.PublicKeyCredential) {
      say(status, form.dataset.unsupported);
      continue;
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      for (const button of form.querySelectorAll("button")) {
        button.disabled = true;
      }
      present(form, status).catch((error) => {
        say(status, `${form.dataset.failed} ${error.message}`);
        for (const button of form.querySelectorAll("button")) {
          button.disabled = false;
        }
      });
    });
  }
})();
