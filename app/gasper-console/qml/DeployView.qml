// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The newest deploy as it happens: each step with its status and duration, then the output.
ColumnLayout {
    id: view
    property var detail
    spacing: 10
    RowLayout {
        spacing: 12
        Label {
            text: view.detail && view.detail.deployNumber > 0 ? qsTr("Deploy #%1").arg(view.detail.deployNumber) : qsTr("No deploy yet")
            font.bold: true
            font.pixelSize: 16
        }
        StateBadge { visible: view.detail && view.detail.deployStatus.length > 0; state: view.detail ? view.detail.deployStatus : "" }
        Label {
            visible: view.detail && view.detail.deployMs > 0
            text: view.detail ? qsTr("total %1").arg(Theme.duration(view.detail.deployMs)) : ""
            color: Theme.muted
        }
    }
    Flow {
        Layout.fillWidth: true
        spacing: 8
        Repeater {
            model: view.detail ? view.detail.steps : null
            delegate: Rectangle {
                id: step
                required property string name
                required property string status
                required property var ms
                radius: Theme.radius
                color: Theme.card
                border.color: Theme.stateColor(status === "done" ? "running" : status === "failed" ? "failed"
                                               : status === "skipped" ? "stopped" : "building")
                implicitWidth: stepRow.implicitWidth + 20
                implicitHeight: stepRow.implicitHeight + 12
                RowLayout {
                    id: stepRow
                    anchors.centerIn: parent
                    spacing: 6
                    Label {
                        text: step.status === "done" ? "✓" : step.status === "failed" ? "✗" : step.status === "skipped" ? "–" : "…"
                        color: parent.parent.border.color
                        font.bold: true
                    }
                    Label { text: Theme.stepLabel(step.name) }
                    Label { text: step.status === "running" ? "" : Theme.duration(step.ms); color: Theme.muted }
                }
            }
        }
    }
    Rectangle {
        Layout.fillWidth: true
        Layout.fillHeight: true
        color: Theme.terminalBackground
        radius: Theme.radius
        ListView {
            id: output
            anchors.fill: parent
            anchors.margins: 8
            clip: true
            model: view.detail ? view.detail.output : null
            onCountChanged: positionViewAtEnd()
            ScrollBar.vertical: ScrollBar {}
            delegate: Text {
                required property var model
                width: ListView.view.width
                text: model.text
                color: model.stream === "stderr" ? "#ff8a80" : model.stream === "system" ? "#80d8ff" : Theme.terminalForeground
                font.family: "monospace"
                font.pixelSize: 13
                wrapMode: Text.WrapAnywhere
            }
        }
    }
}
