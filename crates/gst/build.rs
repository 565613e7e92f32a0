//! Sets `COMMIT_ID` and `BUILD_REL_DATE` for the plugin's description.

fn main() {
    gst_plugin_version_helper::info();
}
