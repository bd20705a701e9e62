// SPDX-License-Identifier: MIT
pragma Singleton
import QtQuick

// Colours and sizes shared by the pages. `dark` is set by Main from the window palette, so
// the console follows the system's light or dark look (or --theme).
QtObject {
    property bool dark: false
    readonly property int spacing: 8
    readonly property int radius: 6
    readonly property color accent: dark ? "#5aa9ff" : "#1f6fd1"
    readonly property color good: dark ? "#4cc27a" : "#1e8a4c"
    readonly property color bad: dark ? "#ff6b6b" : "#c62828"
    readonly property color warn: dark ? "#ffb74d" : "#c66a00"
    readonly property color busy: dark ? "#64b5f6" : "#1565c0"
    readonly property color muted: dark ? "#9aa0a6" : "#6b7075"
    readonly property color card: dark ? "#262a30" : "#ffffff"
    readonly property color cardBorder: dark ? "#3a3f47" : "#d9dde3"
    readonly property color terminalBackground: dark ? "#16181c" : "#1e1f22"
    readonly property color terminalForeground: "#d7dae0"

    function stateColor(state) {
        switch (state) {
        case "running": return good
        case "failed": return bad
        case "restarting": return warn
        case "stopped": return muted
        default: return busy
        }
    }
    // State names as people read them, translated.
    function stateLabel(state) {
        switch (state) {
        case "queued": return qsTr("queued")
        case "cloning": return qsTr("cloning")
        case "building": return qsTr("building")
        case "starting": return qsTr("starting")
        case "running": return qsTr("running")
        case "restarting": return qsTr("restarting")
        case "failed": return qsTr("failed")
        case "stopped": return qsTr("stopped")
        case "succeeded": return qsTr("succeeded")
        case "cancelled": return qsTr("cancelled")
        case "done": return qsTr("done")
        case "skipped": return qsTr("skipped")
        default: return state
        }
    }
    function stepLabel(step) {
        switch (step) {
        case "clone": return qsTr("Clone")
        case "create": return qsTr("Create container")
        case "start": return qsTr("Start container")
        case "build": return qsTr("Build")
        case "release": return qsTr("Release")
        case "health": return qsTr("Health check")
        default: return step
        }
    }
    // An app's health object as a sentence: "GET /healthz → 200 within 30 s", "any answer on /".
    function healthText(health) {
        if (!health) return qsTr("any answer on /")
        const path = health.path || "/"
        const custom = path !== "/" || (health.status !== null && health.status !== undefined)
        const expect = health.status ? String(health.status) : "200-399"
        const within = health.timeout ? qsTr(" within %1 s").arg(health.timeout) : ""
        return custom ? qsTr("GET %1 → %2").arg(path).arg(expect) + within : qsTr("any answer on /") + within
    }
    // The line that reaches an app's container over SSH ("ssh -p 2222 hello@host") or its
    // files ("sftp -P …"), for the host of the master URL; "" without the SSH service.
    function sshCommand(ssh, masterUrl, sftp) {
        const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@\/]*@)?(\[[^\]]*\]|[^:\/?#]+)/i.exec(masterUrl || "")
        if (!ssh || !ssh.port || !host) return ""
        return (sftp ? "sftp -P " : "ssh -p ") + ssh.port + " " + ssh.user + "@" + host[1]
    }
    function duration(ms) {
        if (ms === undefined || ms === null) return ""
        if (ms < 1000) return qsTr("%1 ms").arg(ms)
        return qsTr("%1 s").arg((ms / 1000).toFixed(ms < 10000 ? 2 : 1))
    }
}
