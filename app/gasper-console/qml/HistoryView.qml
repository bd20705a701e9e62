// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The deploy history (DeployHistory) and, under it, what a deploy printed (build,
// release and Gasper's own lines, stderr in red) as the master keeps it, also after
// gasperd restarted and after the deploy's container is gone.
ColumnLayout {
    id: view
    property var detail
    spacing: 8
    DeployHistory {
        detail: view.detail
        Layout.fillWidth: true
        Layout.fillHeight: true
    }
    Rectangle {
        visible: view.detail && view.detail.historyLogNumber > 0
        Layout.fillWidth: true
        Layout.preferredHeight: parent.height * 0.45
        color: Theme.terminalBackground
        radius: Theme.radius
        Label {
            visible: view.detail && view.detail.historyLogError.length > 0
            text: view.detail ? view.detail.historyLogError : ""
            color: Theme.bad
            anchors.centerIn: parent
        }
        ListView {
            objectName: "historyLog"
            anchors.fill: parent
            anchors.margins: 8
            clip: true
            model: view.detail ? view.detail.historyLog : null
            ScrollBar.vertical: ScrollBar {}
            delegate: Text {
                required property var model
                width: ListView.view.width
                text: model.text
                color: model.stream === "stderr" ? Theme.bad : model.stream === "system" ? Theme.muted : Theme.terminalForeground
                font.family: "monospace"
                font.pixelSize: 13
                wrapMode: Text.WrapAnywhere
            }
        }
    }
}
