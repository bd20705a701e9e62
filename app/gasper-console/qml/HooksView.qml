// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Push to deploy: the webhook URL and secret to paste into GitHub, GitLab or Gitea (the
// secret hidden until revealed), a new secret after a confirmation, branch polling, and the
// last deliveries with what came of them. Loads when the tab is first shown.
ScrollView {
    id: view
    property var hooks
    property bool active: false
    property bool revealed: false
    contentWidth: availableWidth
    onActiveChanged: if (active && hooks && !hooks.loaded) hooks.load()

    function outcomeState(outcome) {
        switch (outcome) {
        case "deployed": case "ping": return "running"
        case "queued": return "queued"
        case "refused": case "failed": return "failed"
        default: return "stopped"
        }
    }
    function outcomeLabel(outcome) {
        switch (outcome) {
        case "deployed": return qsTr("deployed")
        case "queued": return qsTr("queued")
        case "ping": return qsTr("ping")
        case "ignored": return qsTr("ignored")
        case "refused": return qsTr("refused")
        case "failed": return qsTr("failed")
        default: return outcome
        }
    }

    ColumnLayout {
        width: view.availableWidth
        spacing: 10
        RowLayout {
            Layout.fillWidth: true
            Label { text: qsTr("Push to deploy"); font.pixelSize: 18; font.bold: true; Layout.fillWidth: true }
            BusyIndicator { running: view.hooks && view.hooks.busy; implicitWidth: 24; implicitHeight: 24 }
            Button { text: qsTr("Refresh"); onClicked: view.hooks.load() }
        }
        Label {
            text: qsTr("A push to the app's branch (%1) rebuilds it. Add this webhook to the repository.")
                  .arg(view.hooks && view.hooks.branch.length > 0 ? view.hooks.branch : qsTr("the default branch"))
            color: Theme.muted
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            objectName: "hooksError"
            visible: view.hooks && view.hooks.error.length > 0
            text: view.hooks ? view.hooks.error : ""
            color: Theme.bad
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label { text: qsTr("Webhook URL"); font.bold: true }
        RowLayout {
            Layout.fillWidth: true
            TextField {
                objectName: "hookUrl"
                text: view.hooks ? view.hooks.url : ""
                readOnly: true
                selectByMouse: true
                font.family: "monospace"
                Layout.fillWidth: true
            }
            Button { text: qsTr("Copy"); onClicked: view.hooks.copy(view.hooks.url) }
        }
        Label { text: qsTr("Secret"); font.bold: true }
        RowLayout {
            Layout.fillWidth: true
            TextField {
                objectName: "hookSecret"
                text: view.hooks ? view.hooks.secret : ""
                readOnly: true
                selectByMouse: view.revealed
                echoMode: view.revealed ? TextInput.Normal : TextInput.Password
                font.family: "monospace"
                Layout.fillWidth: true
            }
            Button {
                objectName: "hookReveal"
                text: view.revealed ? qsTr("Hide") : qsTr("Show")
                onClicked: view.revealed = !view.revealed
            }
            Button { text: qsTr("Copy"); onClicked: view.hooks.copy(view.hooks.secret) }
            Button {
                objectName: "hookRotate"
                text: qsTr("New secret…")
                palette.buttonText: Theme.bad
                onClicked: confirmRotate.open()
            }
        }
        Label {
            text: qsTr("GitHub, Gitea and Forgejo sign each delivery with it; GitLab sends it as its secret token.")
            color: Theme.muted
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Repeater {
            model: [
                [qsTr("GitHub"), qsTr("Settings → Webhooks → Add webhook: Payload URL, content type application/json, Secret, “Just the push event”.")],
                [qsTr("GitLab"), qsTr("Settings → Webhooks → Add new webhook: URL, the secret as “Secret token”, trigger “Push events”.")],
                [qsTr("Gitea / Forgejo"), qsTr("Settings → Webhooks → Add webhook: Target URL, POST, application/json, Secret, “Push events”.")]
            ]
            delegate: Label {
                required property var modelData
                text: "<b>" + modelData[0] + "</b>: " + modelData[1]
                textFormat: Text.StyledText
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
        }

        Label { text: qsTr("Polling"); font.bold: true; Layout.topMargin: 8 }
        Label {
            text: qsTr("Without a webhook, Gasper can ask the repository for the branch head and rebuild when it moves.")
            color: Theme.muted
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            CheckBox {
                id: pollOn
                objectName: "hookPollOn"
                text: qsTr("Poll the branch every")
                checked: view.hooks ? view.hooks.pollSeconds > 0 : false
            }
            SpinBox {
                id: pollSeconds
                objectName: "hookPollSeconds"
                enabled: pollOn.checked
                editable: true
                from: view.hooks ? view.hooks.minPollSeconds : 30
                to: 86400
                value: view.hooks && view.hooks.pollSeconds > 0 ? view.hooks.pollSeconds : 60
            }
            Label { text: qsTr("seconds") }
            Button {
                objectName: "hookPollSave"
                text: qsTr("Save polling")
                onClicked: view.hooks.setPoll(pollOn.checked ? pollSeconds.value : 0)
            }
        }
        Label {
            objectName: "hookPollState"
            text: view.hooks && view.hooks.pollSeconds > 0 ? qsTr("Polling every %1 s.").arg(view.hooks.pollSeconds)
                                                           : qsTr("Polling is off.")
            color: Theme.muted
        }

        Label { text: qsTr("Recent deliveries"); font.bold: true; Layout.topMargin: 8 }
        Label {
            visible: view.hooks && view.hooks.loaded && view.hooks.deliveries.count === 0
            text: qsTr("No deliveries yet. GitHub and Gitea send a ping when the webhook is added.")
            color: Theme.muted
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Repeater {
            model: view.hooks ? view.hooks.deliveries : null
            delegate: Frame {
                id: deliveryRow
                required property string at
                required property string source
                required property string event
                required property string branch
                required property string commit
                required property string outcome
                required property string detail
                required property var deploy
                Layout.fillWidth: true
                background: Rectangle { color: Theme.card; border.color: Theme.cardBorder; radius: Theme.radius }
                ColumnLayout {
                    width: parent.width
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: 12
                        StateBadge { state: view.outcomeState(deliveryRow.outcome); label: view.outcomeLabel(deliveryRow.outcome) }
                        Label { text: deliveryRow.deploy ? "#" + deliveryRow.deploy : ""; visible: !!deliveryRow.deploy; font.bold: true }
                        Label { text: deliveryRow.source + " · " + deliveryRow.event; color: Theme.muted }
                        Label { text: deliveryRow.branch; font.family: "monospace" }
                        Label { text: deliveryRow.commit.substring(0, 12); font.family: "monospace"; color: Theme.muted }
                        Item { Layout.fillWidth: true }
                        Label { text: deliveryRow.at.replace("T", " ").substring(0, 19); color: Theme.muted }
                    }
                    Label { text: deliveryRow.detail; wrapMode: Text.Wrap; Layout.fillWidth: true; color: Theme.muted }
                }
            }
        }
    }

    Dialog {
        id: confirmRotate
        objectName: "confirmRotate"
        title: qsTr("Make a new webhook secret?")
        modal: true
        parent: Overlay.overlay
        x: (parent.width - width) / 2
        y: (parent.height - height) / 3
        width: Math.min(parent.width - 40, 480)
        standardButtons: Dialog.Cancel | Dialog.Ok
        Label {
            width: confirmRotate.availableWidth
            wrapMode: Text.Wrap
            text: qsTr("Deliveries signed with the current secret are refused from now on: paste the new one into the repository's webhook settings.")
        }
        onAccepted: view.hooks.rotate()
    }
}
