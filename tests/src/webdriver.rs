//! A minimal W3C WebDriver client over plain HTTP, enough to drive the app through tauri-driver.

use base64::Engine as _;
use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// WebDriver's codes for the keys a keyboard walk presses (W3C WebDriver, "Keyboard actions").
pub mod key {
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const SHIFT: &str = "\u{E008}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const END: &str = "\u{E010}";
    pub const HOME: &str = "\u{E011}";
    pub const LEFT: &str = "\u{E012}";
    pub const RIGHT: &str = "\u{E014}";
}

/// One WebDriver session; `close` ends it (and, with tauri-driver, the app).
pub struct Session {
    http: reqwest::Client,
    base: String,
}

#[derive(Debug, Clone)]
pub struct Element(String);

impl Session {
    /// Starts a session on the driver at `port` with `capabilities` (W3C `alwaysMatch`).
    pub async fn start(port: u16, capabilities: Value) -> anyhow::Result<Self> {
        let http = reqwest::Client::new();
        let driver = format!("http://127.0.0.1:{port}");
        let reply: Value = http
            .post(format!("{driver}/session"))
            .json(&json!({"capabilities": {"alwaysMatch": capabilities}}))
            .send()
            .await?
            .json()
            .await?;
        let id = reply["value"]["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("no session: {reply}"))?;
        Ok(Session {
            http,
            base: format!("{driver}/session/{id}"),
        })
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let reply: Value = req.send().await?.json().await?;
        if let Some(err) = reply["value"]["error"].as_str() {
            anyhow::bail!("{err}: {}", reply["value"]["message"]);
        }
        Ok(reply["value"].clone())
    }

    pub async fn find(&self, css: &str) -> anyhow::Result<Element> {
        let v = self
            .call(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await?;
        let id = v[ELEMENT_KEY]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("no element in {v}"))?;
        Ok(Element(id.to_owned()))
    }

    pub async fn text(&self, el: &Element) -> anyhow::Result<String> {
        let v = self
            .call(
                reqwest::Method::GET,
                &format!("/element/{}/text", el.0),
                None,
            )
            .await?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    pub async fn attr(&self, el: &Element, name: &str) -> anyhow::Result<Option<String>> {
        let v = self
            .call(
                reqwest::Method::GET,
                &format!("/element/{}/attribute/{name}", el.0),
                None,
            )
            .await?;
        Ok(v.as_str().map(str::to_owned))
    }

    pub async fn execute(&self, script: &str, args: Vec<Value>) -> anyhow::Result<Value> {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Clicks the element as a user would (scrolled into view, hit-tested).
    /// A live list may be redrawn between finding and clicking: then it is found again.
    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        let mut tries = 0;
        loop {
            let el = self.find(css).await?;
            let clicked = self
                .call(
                    reqwest::Method::POST,
                    &format!("/element/{}/click", el.0),
                    Some(json!({})),
                )
                .await;
            match clicked {
                Err(e) if tries < 3 && e.to_string().starts_with("stale element") => tries += 1,
                other => return other.map(|_| ()),
            }
        }
    }

    /// Types `text` into the element.
    pub async fn type_into(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let el = self.find(css).await?;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{}/value", el.0),
            Some(json!({"text": text})),
        )
        .await?;
        Ok(())
    }

    /// Presses `chord` as a person does, through the Actions API: each key down in order, then
    /// up in reverse (`&[key::SHIFT, key::TAB]` is Shift+Tab). The keys reach whatever has
    /// focus, as real ones would, unlike send-keys to an element.
    pub async fn keys(&self, chord: &[&str]) -> anyhow::Result<()> {
        let down = chord.iter().map(|k| json!({"type": "keyDown", "value": k}));
        let up = chord
            .iter()
            .rev()
            .map(|k| json!({"type": "keyUp", "value": k}));
        let actions: Vec<Value> = down.chain(up).collect();
        self.call(
            reqwest::Method::POST,
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        )
        .await
        .map(|_| ())
    }

    /// Waits until `script` (a function body) returns something truthy; returns it.
    pub async fn wait_for(
        &self,
        what: &str,
        script: &str,
        args: Vec<Value>,
        timeout: std::time::Duration,
    ) -> Value {
        let mut last = Value::Null;
        let found = crate::within(timeout, async || {
            match self.execute(script, args.clone()).await {
                Ok(v) if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) => {
                    return Some(v)
                }
                Ok(v) => last = v,
                Err(e) => last = json!(e.to_string()),
            }
            None
        })
        .await;
        found.unwrap_or_else(|| panic!("timed out waiting for {what} (last: {last})"))
    }

    /// Runs `script`, whose last argument is the callback to call with the result.
    /// Forces the page's `theme` ("light", "dark"), as the root's `data-theme` does for the
    /// system's, or goes back to following the system with `None`; returns once a frame is
    /// painted in it (the second after the switch), scrolled to the top when `top`.
    pub async fn set_theme(&self, theme: Option<&str>, top: bool) {
        let Some(theme) = theme else {
            self.execute("delete document.documentElement.dataset.theme", vec![])
                .await
                .expect("theme");
            return;
        };
        self.execute(
            "document.documentElement.dataset.theme = arguments[0]",
            vec![serde_json::json!(theme)],
        )
        .await
        .expect("theme");
        let scroll = if top { "window.scrollTo(0, 0); " } else { "" };
        self.execute_async(&format!(
            "const done = arguments[0]; {scroll}requestAnimationFrame(() => requestAnimationFrame(() => done(true)))"
        ))
        .await
        .expect("a frame painted in the new theme");
    }

    /// Clicks the window's tab for `view` and waits until the page shows it. Waits first for
    /// the page's scripts: a click on a tab before they ran is lost.
    pub async fn show_view(&self, view: &str) {
        let wait = crate::WAIT;
        self.wait_for(
            "the window's first render",
            "return document.body.dataset.ready === 'true'",
            vec![],
            wait,
        )
        .await;
        self.click(&format!("#tab-{view}"))
            .await
            .expect("click tab");
        self.wait_for(
            &format!("the {view} view"),
            "return document.body.dataset.view === arguments[0]",
            vec![serde_json::json!(view)],
            wait,
        )
        .await;
    }

    pub async fn execute_async(&self, script: &str) -> anyhow::Result<Value> {
        self.call(
            reqwest::Method::POST,
            "/execute/async",
            Some(json!({"script": script, "args": []})),
        )
        .await
    }

    /// Resizes the window (its outer size, as the window manager sees it).
    pub async fn set_window_size(&self, width: u32, height: u32) -> anyhow::Result<()> {
        self.call(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        )
        .await
        .map(|_| ())
    }

    /// A PNG of the window.
    pub async fn screenshot(&self) -> anyhow::Result<Vec<u8>> {
        let v = self.call(reqwest::Method::GET, "/screenshot", None).await?;
        let b64 = v
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("no screenshot in reply"))?;
        Ok(base64::engine::general_purpose::STANDARD.decode(b64)?)
    }

    pub async fn close(self) {
        let _ = self.http.delete(&self.base).send().await;
    }
}
