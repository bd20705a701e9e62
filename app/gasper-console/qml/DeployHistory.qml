// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The deploy history: one card per deploy with its steps and timings, what started it (a
// rollback names the deploy it went back to), and "Roll back to this deploy" on earlier
// deploys that served, after a confirmation.
ListView {
    id: history
    objectName: "deployHistory"
    property var detail
    clip: true
    spacing: 6
    model: detail ? detail.deploys : null
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
        required property var rollback_to
        width: ListView.view.width
        background: Rectangle { color: Theme.card; border.color: Theme.cardBorder; radius: Theme.radius }
        ColumnLayout {
            width: parent.width
            RowLayout {
                Layout.fillWidth: true
                spacing: 12
                Label { text: "#" + deployRow.number; font.bold: true }
                StateBadge { state: deployRow.status }
                Label {
                    text: deployRow.trigger === "rollback" && deployRow.rollback_to
                          ? qsTr("rollback to #%1").arg(deployRow.rollback_to) : deployRow.trigger
                    color: Theme.muted
                }
                Label { text: deployRow.commit ? String(deployRow.commit).substring(0, 12) : ""; font.family: "monospace" }
                Item { Layout.fillWidth: true }
                Button {
                    objectName: "rollback" + deployRow.number
                    text: qsTr("Roll back to this deploy")
                    flat: true
                    // count: re-evaluated when the history reloads
                    visible: history.detail && history.count >= 0 && history.detail.canRollBackTo(deployRow.number)
                    enabled: history.detail && !history.detail.busy
                    onClicked: { confirmRollback.deploy = deployRow.number; confirmRollback.commit = String(deployRow.commit); confirmRollback.open() }
                }
                Label { text: Theme.duration(deployRow.total_ms); visible: deployRow.total_ms > 0 }
                Label { text: deployRow.started_at.replace("T", " ").substring(0, 19); color: Theme.muted }
                Button {
                    text: history.detail && history.detail.historyLogNumber === deployRow.number ? qsTr("Hide output") : qsTr("Output")
                    Accessible.name: qsTr("Output of deploy #%1").arg(deployRow.number)
                    onClicked: history.detail.loadHistoryLog(history.detail.historyLogNumber === deployRow.number ? 0 : deployRow.number)
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

    Dialog {
        id: confirmRollback
        objectName: "confirmRollback"
        property int deploy: 0
        property string commit: ""
        parent: Overlay.overlay
        title: qsTr("Roll back to deploy #%1?").arg(deploy)
        modal: true
        x: (parent.width - width) / 2
        y: (parent.height - height) / 3
        width: Math.min(parent.width - 40, 480)
        contentHeight: 100
        standardButtons: Dialog.Cancel | Dialog.Ok
        Label {
            width: confirmRollback.availableWidth
            height: implicitHeight
            wrapMode: Text.Wrap
            text: qsTr("Commit %1 is deployed again with the app's current settings. The current container serves until the new one is healthy; the app stays on that commit until its next rebuild.").arg(confirmRollback.commit.substring(0, 12))
        }
        onAccepted: history.detail.rollback(deploy)
    }
}
