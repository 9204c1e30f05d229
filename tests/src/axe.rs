//! Runs axe-core (fetched by `tests/deps.sh test`, never committed) in a WebDriver page and returns its WCAG 2.1 A/AA violations.

use crate::webdriver::Session;
use std::path::PathBuf;

/// Where axe-core lives when not in `target/test-tools/` (a file path to `axe.min.js`).
pub const AXE_ENV: &str = "OUTAGE_RADAR_AXE";

/// What axe found: the rules broken, and those it could not decide (say, a contrast over a
/// blended background), which a person has to look at.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub violations: Vec<Violation>,
    pub incomplete: Vec<Violation>,
}

/// One rule axe found broken (or could not decide), with where.
#[derive(Debug, Clone)]
pub struct Violation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub targets: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {} at {}",
            self.id,
            self.impact,
            self.help,
            self.targets.join(", ")
        )
    }
}

/// `axe.min.js`: [`AXE_ENV`], else `target/test-tools/node_modules/axe-core/axe.min.js`.
pub fn path() -> PathBuf {
    if let Some(p) = std::env::var_os(AXE_ENV) {
        return PathBuf::from(p);
    }
    crate::target_profile_dir()
        .parent()
        .map(|target| target.join("test-tools/node_modules/axe-core/axe.min.js"))
        .unwrap_or_default()
}

/// axe-core's source; `None`, with the reason printed, when it was never fetched (a panic
/// under [`crate::REQUIRE_ENV`], as for a missing system tool).
pub fn source() -> Option<String> {
    let path = path();
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(e) => {
            let msg = format!(
                "axe-core not found at {} ({e}): `tests/deps.sh test` fetches it, or set {AXE_ENV}",
                path.display()
            );
            if std::env::var_os(crate::REQUIRE_ENV).is_some() {
                panic!("{msg}");
            }
            println!("SKIP: {msg}");
            None
        }
    }
}

/// Puts `window.axe` into the page. The source is the script body itself: the window's CSP
/// has no 'unsafe-eval', so the page could not `eval` or `new Function` it, while WebDriver's
/// own scripts are not held to the CSP.
pub async fn inject(client: &Session, source: &str) -> anyhow::Result<()> {
    let script = format!("{source}\n;return typeof window.axe === 'object' && window.axe.version");
    let version = client.execute(&script, vec![]).await?;
    anyhow::ensure!(
        version.as_str().is_some_and(|v| v.starts_with("4.11")),
        "axe-core 4.11 not in the page after injecting it: {version}"
    );
    Ok(())
}

/// Runs axe on the whole document for WCAG 2.0 and 2.1, levels A and AA (injected first if
/// a reload or a new session lost it).
pub async fn run(client: &Session, source: &str) -> anyhow::Result<Report> {
    let present = client
        .execute("return typeof window.axe === 'object'", vec![])
        .await?;
    if present != serde_json::Value::Bool(true) {
        inject(client, source).await?;
    }
    let reply = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then((r) => {
    const list = (rules) => rules.map((v) => ({id: v.id, impact: v.impact || '', help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ') + (n.failureSummary ? ' [' + n.failureSummary.replace(/\s+/g, ' ').trim() + ']' : ''))}));
    done({violations: list(r.violations), incomplete: list(r.incomplete)});
  },
    (e) => done({error: String(e && e.stack || e)}));"#,
        )
        .await?;
    if let Some(e) = reply["error"].as_str() {
        anyhow::bail!("axe.run failed: {e}");
    }
    Ok(Report {
        violations: rules(&reply["violations"])?,
        incomplete: rules(&reply["incomplete"])?,
    })
}

fn rules(list: &serde_json::Value) -> anyhow::Result<Vec<Violation>> {
    let list = list
        .as_array()
        .ok_or_else(|| anyhow::anyhow!("no list of rules in axe's answer: {list}"))?;
    Ok(list
        .iter()
        .map(|v| Violation {
            id: v["id"].as_str().unwrap_or_default().to_owned(),
            impact: v["impact"].as_str().unwrap_or_default().to_owned(),
            help: v["help"].as_str().unwrap_or_default().to_owned(),
            targets: v["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| t.as_str().unwrap_or_default().to_owned())
                .collect(),
        })
        .collect())
}
