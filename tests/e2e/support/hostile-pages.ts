/**
 * Host pages as real sites write them, each broken in a way many still are: legacy libraries that
 * patch built-ins (Prototype.js, json2, old Promise and fetch polyfills, zone.js), storage that throws
 * or is full, quirks mode with a `<base href>` elsewhere, the script tag twice or injected late by a tag
 * manager, and strict Content-Security-Policies (nonces, Trusted Types). The widget has to capture a
 * lead on every one of them exactly as on a clean page. Served by the test at the demo site's origin
 * (an allowed origin) through Playwright's routing, with the headers each page names.
 */

export interface HostilePage {
  name: string;
  /** What real sites do this, and what it breaks. */
  why: string;
  /** Response headers (a CSP, Trusted Types). */
  headers?: Record<string, string>;
  /** Quirks mode: no doctype. */
  quirks?: boolean;
  /** Before the widget's script tag (the page's own libraries). */
  head?: string;
  /** The embed: `%EDGE%` is the edge's origin. @default one async script tag naming the form */
  embed?: string;
  /** After the embed (libraries loaded later, which patch again). */
  after?: string;
  /** The form the page shows. @default "contact" */
  form?: "contact" | "quote";
  /** Where the form goes. @default a container */
  container?: boolean;
}

const EMBED = (form: string) =>
  `<script src="%EDGE%/leadcap.js" data-site="demo" data-form="${form}" async></script>`;

/** Prototype.js 1.6: toJSON on the built-ins, enumerable Array methods, its own map and bind. */
const PROTOTYPE_JS = `<script>
  Array.prototype.toJSON = function () { return "BROKEN-ARRAY"; };
  String.prototype.toJSON = function () { return "BROKEN-STRING"; };
  Number.prototype.toJSON = function () { return "BROKEN-NUMBER"; };
  Boolean.prototype.toJSON = function () { return "BROKEN-BOOLEAN"; };
  Date.prototype.toJSON = function () { return "BROKEN-DATE"; };
  ["each", "first", "last", "compact", "flatten", "without", "uniq", "clone", "inspect", "size"].forEach(function (name) {
    Array.prototype[name] = function () { return this; };
  });
  // Enumerable#collect, assigned over the native map (enumerable, as Prototype did).
  Array.prototype.map = function (iterator, context) {
    var results = [];
    for (var i = 0; i < this.length; i++) results.push(iterator.call(context, this[i], i, this));
    return results;
  };
  Function.prototype.bind = function (context) {
    var fn = this, args = Array.prototype.slice.call(arguments, 1);
    return function () { return fn.apply(context, args.concat(Array.prototype.slice.call(arguments))); };
  };
</script>`;

/** Plugins of the jQuery 1 era that extend Object.prototype, enumerable, with values of every kind. */
const OBJECT_PROTOTYPE = `<script>
  Object.prototype.extend = function (other) { for (var k in other) this[k] = other[k]; return this; };
  Object.prototype.clone = function () { return this; };
  Object.prototype.each = function () {};
  Object.prototype.first = "polluted";
  Object.prototype.size = 0;
  Object.prototype.isEmpty = false;
  Object.prototype.toJSON = function () { return "BROKEN-OBJECT"; };
</script>`;

/** An old json2.js build that replaced JSON.stringify badly; a JSON.parse that revives dates. */
const BROKEN_JSON = `<script>
  JSON.stringify = function () { return "\\"BROKEN-JSON\\""; };
  (function (parse) {
    JSON.parse = function (text, reviver) {
      return parse(text, function (key, value) {
        if (typeof value === "string" && /^\\d{4}-\\d{2}-\\d{2}T/.test(value)) return new Date(value);
        return reviver ? reviver.call(this, key, value) : value;
      });
    };
  })(JSON.parse);
</script>`;

/** zone.js: Promise, timers, fetch, XHR and event listeners wrapped to track async work. */
const ZONE_JS = `<script>
  (function () {
    window.__zoneTasks = 0;
    var wrap = function (fn) { return typeof fn === "function" ? function () { window.__zoneTasks++; return fn.apply(this, arguments); } : fn; };
    var NativePromise = window.Promise;
    function ZoneAwarePromise(executor) {
      var p = new NativePromise(executor);
      Object.setPrototypeOf(p, ZoneAwarePromise.prototype);
      return p;
    }
    ZoneAwarePromise.prototype = Object.create(NativePromise.prototype);
    ZoneAwarePromise.prototype.constructor = ZoneAwarePromise;
    ZoneAwarePromise.prototype.then = function (a, b) { return NativePromise.prototype.then.call(this, wrap(a), wrap(b)); };
    ["all", "race", "resolve", "reject", "allSettled", "any"].forEach(function (name) {
      ZoneAwarePromise[name] = function () { return NativePromise[name].apply(NativePromise, arguments); };
    });
    window.Promise = ZoneAwarePromise;
    ["setTimeout", "setInterval", "requestAnimationFrame", "requestIdleCallback", "queueMicrotask"].forEach(function (name) {
      var original = window[name];
      if (original) window[name] = function (fn) { var args = Array.prototype.slice.call(arguments); args[0] = wrap(fn); return original.apply(window, args); };
    });
    var nativeFetch = window.fetch;
    window.fetch = function () { window.__zoneTasks++; return ZoneAwarePromise.resolve(nativeFetch.apply(window, arguments)); };
    var send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function () { window.__zoneTasks++; return send.apply(this, arguments); };
    var add = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (type, listener, options) { return add.call(this, type, wrap(listener), options); };
    var toString = Function.prototype.toString;
    Function.prototype.toString = function () { return this === window.fetch ? "function fetch() { [native code] }" : toString.call(this); };
  })();
</script>`;

/** Polyfills from before native support, installed unconditionally by an old bundle. */
const OLD_POLYFILLS = `<script>
  (function () {
    // A Promise/A+ polyfill on setTimeout: no finally, no allSettled.
    function P(executor) {
      var self = this; self.s = 0; self.v = undefined; self.q = [];
      function settle(state, value) {
        if (self.s) return;
        if (state === 1 && value && typeof value.then === "function") { value.then(function (v) { settle(1, v); }, function (e) { settle(2, e); }); return; }
        self.s = state; self.v = value; setTimeout(function () { self.q.forEach(function (f) { f(); }); self.q = []; }, 0);
      }
      try { executor(function (v) { settle(1, v); }, function (e) { settle(2, e); }); } catch (e) { settle(2, e); }
    }
    P.prototype.then = function (ok, ko) {
      var self = this;
      return new P(function (resolve, reject) {
        function run() {
          var handler = self.s === 1 ? ok : ko;
          if (typeof handler !== "function") return (self.s === 1 ? resolve : reject)(self.v);
          try { resolve(handler(self.v)); } catch (e) { reject(e); }
        }
        if (self.s) setTimeout(run, 0); else self.q.push(run);
      });
    };
    P.prototype["catch"] = function (ko) { return this.then(undefined, ko); };
    P.resolve = function (v) { return v instanceof P ? v : new P(function (r) { r(v); }); };
    P.reject = function (e) { return new P(function (_, r) { r(e); }); };
    P.all = function (list) {
      return new P(function (resolve, reject) {
        var out = [], left = list.length; if (!left) return resolve(out);
        list.forEach(function (item, i) { P.resolve(item).then(function (v) { out[i] = v; if (!--left) resolve(out); }, reject); });
      });
    };
    P.race = function (list) { return new P(function (resolve, reject) { list.forEach(function (item) { P.resolve(item).then(resolve, reject); }); }); };
    window.Promise = P;
    // unfetch: fetch over XMLHttpRequest; ignores signal, keepalive and credentials "omit".
    window.fetch = function (url, options) {
      options = options || {};
      return new P(function (resolve, reject) {
        var request = new XMLHttpRequest();
        request.open(options.method || "get", url, true);
        for (var name in options.headers) request.setRequestHeader(name, options.headers[name]);
        request.onload = function () {
          resolve({
            ok: ((request.status / 100) | 0) === 2, status: request.status, url: request.responseURL,
            text: function () { return P.resolve(request.responseText); },
            json: function () { return P.resolve(request.responseText).then(JSON.parse); },
            headers: { get: function (n) { return request.getResponseHeader(n); } },
          });
        };
        request.onerror = reject;
        request.send(options.body || null);
      });
    };
    navigator.sendBeacon = function () { return false; };
  })();
</script>`;

/** A privacy or monitoring wrapper that breaks fetch for cross-origin POSTs: it throws. */
const THROWING_FETCH = `<script>
  (function (nativeFetch) {
    window.fetch = function (url, options) {
      if (options && options.method === "POST" && String(url).indexOf(location.origin) !== 0) throw new TypeError("fetch blocked by wrapper");
      return nativeFetch.apply(window, arguments);
    };
  })(window.fetch);
</script>`;

/** An offline-first wrapper that queues POSTs and never answers them. */
const HANGING_FETCH = `<script>
  (function (nativeFetch) {
    window.fetch = function (url, options) {
      if (options && options.method === "POST") return new Promise(function () {});
      return nativeFetch.apply(window, arguments);
    };
  })(window.fetch);
</script>`;

/** Cookies blocked: reading localStorage or sessionStorage throws. */
const STORAGE_BLOCKED = `<script>
  ["localStorage", "sessionStorage"].forEach(function (name) {
    Object.defineProperty(window, name, { configurable: true, get: function () { throw new DOMException("The operation is insecure.", "SecurityError"); } });
  });
</script>`;

/** Storage full of another script's data: every write throws QuotaExceededError. */
const STORAGE_FULL = `<script>
  try { localStorage.setItem("someone-elses-cache", "x"); } catch (e) {}
  Storage.prototype.setItem = function () { throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); };
</script>`;

/** A tag manager (GTM's Custom HTML) injecting the script after the page has loaded. */
const TAG_MANAGER = `<script>
  window.leadcap = window.leadcap || function () { (leadcap.q = leadcap.q || []).push(arguments); };
  leadcap("set", "company", "Tag Managed Ltd");
  window.addEventListener("load", function () {
    setTimeout(function () {
      var s = document.createElement("script");
      s.async = true;
      s.src = "%EDGE%/leadcap.js";
      s.setAttribute("data-site", "demo");
      s.setAttribute("data-form", "contact");
      document.body.appendChild(s);
    }, 300);
  });
</script>`;

/** A default Trusted Types policy that lets through only the page's own script URLs. */
const TT_DEFAULT_POLICY = `<script>
  trustedTypes.createPolicy("default", {
    createScriptURL: function (url) { return new URL(url, location.href).origin === location.origin ? url : null; },
    createHTML: function () { return null; },
    createScript: function () { return null; },
  });
</script>`;

export const PAGES: HostilePage[] = [
  {
    name: "prototype-js",
    why: "Prototype.js 1.6 sets toJSON on Array, String, Number, Boolean and Date and adds enumerable Array methods: JSON.stringify turns every array into a string",
    head: PROTOTYPE_JS,
    form: "quote",
  },
  {
    name: "object-prototype",
    why: "jQuery-era plugins add enumerable members to Object.prototype, including toJSON: every object serializes to a string and for-in sees extra keys",
    head: OBJECT_PROTOTYPE,
  },
  {
    name: "broken-json",
    why: "an old json2.js replaced JSON.stringify with a broken one; a date-reviving JSON.parse turns stored timestamps into Date objects",
    head: BROKEN_JSON,
  },
  {
    name: "zone-js",
    why: "Angular's zone.js replaces Promise and wraps timers, fetch, XHR and listeners, before the widget and again after it",
    head: ZONE_JS,
    after: ZONE_JS,
  },
  {
    name: "old-polyfills",
    why: "a bundle installs a setTimeout-based Promise and an XHR-based fetch unconditionally, and a broken sendBeacon",
    head: OLD_POLYFILLS,
  },
  {
    name: "throwing-fetch",
    why: "a monitoring wrapper throws for cross-origin POSTs through fetch",
    head: THROWING_FETCH,
  },
  {
    name: "storage-blocked",
    why: "cookies and site data blocked: localStorage and sessionStorage throw SecurityError on access",
    head: STORAGE_BLOCKED,
  },
  {
    name: "storage-full",
    why: "localStorage is full of another script's data: every write throws QuotaExceededError",
    head: STORAGE_FULL,
  },
  {
    name: "quirks-base-href",
    why: "no doctype (quirks mode), table layout, and a <base href> pointing at another host",
    quirks: true,
    head: `<base href="https://static.elsewhere.invalid/assets/"><style>body{font:12px Verdana}</style>`,
  },
  {
    name: "script-twice",
    why: "the embed pasted twice (theme and plugin both add it), both naming the same form, no container",
    embed: `${EMBED("contact")}\n${EMBED("contact")}`,
    container: false,
  },
  {
    name: "tag-manager",
    why: "a tag manager injects the script after load; the page called the queue stub before it arrived",
    embed: TAG_MANAGER,
  },
  {
    name: "trusted-types-none",
    why: "CSP requires Trusted Types for scripts and allows no policy at all",
    headers: {
      "content-security-policy": "require-trusted-types-for 'script'; trusted-types 'none'",
    },
  },
  {
    name: "trusted-types-default-policy",
    why: "CSP requires Trusted Types; the page's default policy refuses script URLs of other origins",
    headers: {
      "content-security-policy": "require-trusted-types-for 'script'; trusted-types default",
    },
    head: TT_DEFAULT_POLICY,
  },
  {
    name: "nonce-strict-dynamic",
    why: "a nonce-based CSP with 'strict-dynamic' and no host allowlist, as Google's CSP guidance recommends",
    headers: {
      "content-security-policy":
        "script-src 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'; base-uri 'none'; style-src 'self'",
    },
    embed: `<script nonce="r4nd0m" src="%EDGE%/leadcap.js" data-site="demo" data-form="contact" async></script>`,
  },
];

/** A page that fetches forever: slow, so kept apart from the quick ones. */
export const HANGING: HostilePage = {
  name: "hanging-fetch",
  why: "an offline-first wrapper queues POSTs through fetch and never answers them",
  head: HANGING_FETCH,
};

export function html(page: HostilePage, edge: string): string {
  const form = page.form ?? "contact";
  const nonce = page.headers?.["content-security-policy"]?.includes("nonce-r4nd0m") ? ' nonce="r4nd0m"' : "";
  const script = (text: string) => text.replaceAll("<script>", `<script${nonce}>`).replaceAll("%EDGE%", edge);
  return [
    page.quirks ? "" : "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><title>${page.name}</title>`,
    script(page.head ?? ""),
    "</head><body>",
    page.quirks
      ? `<table width="100%"><tr><td><font size="2">${page.why}</font></td></tr><tr><td>`
      : `<h1>${page.name}</h1><p>${page.why}</p>`,
    page.container === false ? "" : `<div data-leadcap-form="${form}"></div>`,
    script(page.embed ?? EMBED(form)),
    page.quirks ? "</td></tr></table>" : "",
    script(page.after ?? ""),
    "</body></html>",
  ].join("\n");
}
