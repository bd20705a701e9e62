// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The app's output, streamed (follow). Scrolling up pauses following so the lines stay put
// while new ones keep arriving; "Follow" jumps back to the end.
ColumnLayout {
    id: view
    property var detail
    property bool active: false
    property bool following: true
    spacing: 8
    onActiveChanged: if (active && detail && !detail.logs.active) detail.logs.start()
    Connections {
        target: view.detail
        function onAppChanged() {
            if (view.active && view.detail.state === "running" && !view.detail.logs.active)
                view.detail.logs.start()
        }
    }
    RowLayout {
        spacing: 10
        Rectangle {
            width: 10; height: 10; radius: 5
            color: view.detail && view.detail.logs.active ? Theme.good : Theme.muted
        }
        Label {
            text: view.detail && view.detail.logs.active ? qsTr("Streaming") : qsTr("Not streaming")
        }
        Label {
            visible: view.detail && view.detail.logs.error.length > 0
            text: view.detail ? view.detail.logs.error : ""
            color: Theme.bad
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Item { Layout.fillWidth: true }
        Label { visible: !view.following; text: qsTr("Paused"); color: Theme.warn; font.bold: true }
        Button {
            text: view.following ? qsTr("Pause") : qsTr("Follow")
            onClicked: { view.following = !view.following; if (view.following) logList.positionViewAtEnd() }
        }
        Button {
            text: qsTr("Reconnect")
            onClicked: view.detail.logs.start()
        }
    }
    Rectangle {
        Layout.fillWidth: true
        Layout.fillHeight: true
        color: Theme.terminalBackground
        radius: Theme.radius
        ListView {
            id: logList
            anchors.fill: parent
            anchors.margins: 8
            clip: true
            model: view.detail ? view.detail.logs.lines : null
            ScrollBar.vertical: ScrollBar {}
            onCountChanged: if (view.following) positionViewAtEnd()
            onMovementStarted: view.following = false
            onMovementEnded: if (atYEnd) view.following = true
            delegate: Text {
                required property var model
                width: ListView.view.width
                text: model.text
                color: Theme.terminalForeground
                font.family: "monospace"
                font.pixelSize: 13
                wrapMode: Text.WrapAnywhere
            }
        }
    }
}
