// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gasper.Console

// A shell in the app's container. The view fills the page; its size is the terminal's.
Page {
    id: page
    property var session
    property string app: ""
    property bool active: false
    signal back()
    background: null
    onActiveChanged: {
        if (active && app.length > 0 && terminal.status !== "open" && terminal.status !== "connecting") {
            terminal.open()
            view.forceActiveFocus()
        }
    }
    onAppChanged: terminal.close()

    TerminalSession {
        id: terminal
        objectName: "terminalSession"
        session: page.session
        app: page.app
    }

    header: Pane {
        background: null
        padding: 10
        RowLayout {
            width: parent.width
            spacing: 10
            Button { text: "←"; flat: true; onClicked: page.back() }
            Label { text: qsTr("Terminal — %1").arg(page.app); font.bold: true; font.pixelSize: 16 }
            Label {
                text: terminal.status === "open" ? qsTr("connected")
                    : terminal.status === "connecting" ? qsTr("connecting…")
                    : terminal.exitCode >= 0 ? qsTr("exited with code %1").arg(terminal.exitCode)
                    : terminal.status === "closed" ? qsTr("closed") : ""
                color: terminal.status === "open" ? Theme.good : Theme.muted
            }
            Label { text: terminal.error; color: Theme.bad; elide: Text.ElideRight; Layout.fillWidth: true }
            Label {
                text: qsTr("%1 × %2").arg(terminal.screen.columns).arg(terminal.screen.rows)
                color: Theme.muted
            }
            Button { text: qsTr("Copy"); onClicked: view.copy(); ToolTip.visible: hovered; ToolTip.text: "Ctrl+Shift+C" }
            Button { text: qsTr("Paste"); onClicked: view.pasteClipboard(); ToolTip.visible: hovered; ToolTip.text: "Ctrl+Shift+V" }
            Button { text: qsTr("Reconnect"); onClicked: { terminal.open(); view.forceActiveFocus() } }
        }
    }
    Rectangle {
        anchors.fill: parent
        anchors.margins: 8
        color: Theme.terminalBackground
        radius: Theme.radius
        TerminalView {
            id: view
            objectName: "terminalView"
            anchors.fill: parent
            anchors.margins: 6
            screen: terminal.screen
            focus: true
            background: Theme.terminalBackground
            foreground: Theme.terminalForeground
            font.family: "DejaVu Sans Mono"
            font.pointSize: 11
        }
        ScrollBar {
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.bottom: parent.bottom
            orientation: Qt.Vertical
            visible: terminal.screen.scrollbackCount > 0
            size: terminal.screen.rows / (terminal.screen.rows + terminal.screen.scrollbackCount)
            position: (terminal.screen.scrollbackCount - view.scrollOffset) / (terminal.screen.rows + terminal.screen.scrollbackCount)
            policy: ScrollBar.AlwaysOn
            interactive: false
        }
    }
}
