//! Build script: with the `desktop` feature, generates Tauri's context and the app's command permissions.

#[cfg(feature = "desktop")]
#[path = "src/desktop/ipc.rs"]
#[allow(dead_code, unused_imports)]
mod ipc;

fn main() {
    #[cfg(feature = "desktop")]
    {
        let manifest = tauri_build::AppManifest::new().commands(ipc::COMMANDS);
        tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
            .unwrap_or_else(|e| panic!("tauri-build: {e:#}"));
    }
}
