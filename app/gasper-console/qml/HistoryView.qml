// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The deploy history with per-step timings; "Output" shows what a deploy printed (build,
// release and Gasper's own lines, stderr in red) as the master keeps it, also after
// gasperd restarted and after the deploy's container is gone.
ColumnLayout {
    id: view
    property var detail
    spacing: 8
    ListView {
        id: history
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        spacing: 6
        model: view.detail ? view.detail.deploys : null
        ScrollBar.vertical: ScrollBar {}
        delegate: Frame {
            id: deployRow
            required property int number
            required property string status
            required property string trigger
            required property var total_ms
            required property string started_at
            required property var commit
            required property var error
            required property var steps
            width: ListView.view.width
            background: Rectangle { color: Theme.card; border.color: Theme.cardBorder; radius: Theme.radius }
            ColumnLayout {
                width: parent.width
                RowLayout {
                    Layout.fillWidth: true
                    spacing: 12
                    Label { text: "#" + deployRow.number; font.bold: true }
                    StateBadge { state: deployRow.status }
                    Label { text: deployRow.trigger; color: Theme.muted }
                    Label { text: deployRow.commit ? String(deployRow.commit).substring(0, 12) : ""; font.family: "monospace" }
                    Item { Layout.fillWidth: true }
                    Label { text: Theme.duration(deployRow.total_ms); visible: deployRow.total_ms > 0 }
                    Label { text: deployRow.started_at.replace("T", " ").substring(0, 19); color: Theme.muted }
                    Button {
                        text: view.detail && view.detail.historyLogNumber === deployRow.number ? qsTr("Hide output") : qsTr("Output")
                        Accessible.name: qsTr("Output of deploy #%1").arg(deployRow.number)
                        onClicked: view.detail.loadHistoryLog(view.detail.historyLogNumber === deployRow.number ? 0 : deployRow.number)
                    }
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: 10
                    Repeater {
                        model: deployRow.steps
                        Label {
                            required property var modelData
                            text: Theme.stepLabel(modelData.name) + " " + Theme.duration(modelData.ms)
                            color: modelData.status === "failed" ? Theme.bad : Theme.muted
                            font.pixelSize: 12
                        }
                    }
                }
                Label {
                    visible: !!deployRow.error
                    text: deployRow.error ? String(deployRow.error).split("\n")[0] : ""
                    color: Theme.bad
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
            }
        }
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
