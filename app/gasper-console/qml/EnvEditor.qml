// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The app's environment variables. Saving sends only what changed (a JSON merge patch) and
// starts a rebuild; the running container keeps serving until the new one is healthy.
ColumnLayout {
    id: editor
    property var detail
    spacing: 8
    Label {
        text: qsTr("Saving rebuilds the app; the running version serves until the new one is healthy.")
        color: Theme.muted
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    ListView {
        id: rows
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        spacing: 4
        model: editor.detail ? editor.detail.env : null
        ScrollBar.vertical: ScrollBar {}
        delegate: RowLayout {
            required property int index
            required property string key
            required property string value
            required property bool secret
            required property bool kept
            width: ListView.view.width
            spacing: 6
            TextField {
                text: key
                placeholderText: qsTr("NAME")
                font.family: "monospace"
                readOnly: kept  // a kept secret's value cannot move to another name
                Layout.preferredWidth: 220
                selectByMouse: true
                onTextEdited: editor.detail.env.setKey(index, text)
            }
            Label { text: "=" }
            TextField {
                text: value
                placeholderText: kept ? qsTr("(secret: unchanged)") : qsTr("value")
                echoMode: secret ? TextInput.Password : TextInput.Normal
                font.family: "monospace"
                Layout.fillWidth: true
                selectByMouse: true
                onTextEdited: editor.detail.env.setValue(index, text)
            }
            CheckBox {
                text: qsTr("Secret")
                checked: secret
                onToggled: editor.detail.env.setSecret(index, checked)
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Write-only: never shown again, masked in deploy output.")
            }
            Button { text: "✕"; flat: true; onClicked: editor.detail.env.removeAt(index); ToolTip.visible: hovered; ToolTip.text: qsTr("Remove") }
        }
        Label {
            anchors.centerIn: parent
            visible: rows.count === 0
            text: qsTr("No variables.")
            color: Theme.muted
        }
    }
    RowLayout {
        spacing: 8
        Button { text: qsTr("Add variable"); onClicked: editor.detail.env.add() }
        Item { Layout.fillWidth: true }
        Button { text: qsTr("Revert"); enabled: editor.detail && editor.detail.env.dirty; onClicked: editor.detail.env.revert() }
        Button {
            text: qsTr("Save and rebuild")
            highlighted: true
            enabled: editor.detail && editor.detail.env.dirty && !editor.detail.busy
            onClicked: editor.detail.saveEnv()
        }
    }
}
