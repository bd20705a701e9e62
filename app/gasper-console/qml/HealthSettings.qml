// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The app's health check, edited in place: a new container gets traffic only once it
// passes it. Saving sends PATCH {"health": …} (all fields empty: the default check, any
// answer on /) and a deploy follows.
ColumnLayout {
    id: root
    property var detail
    readonly property var health: detail && detail.app.health ? detail.app.health : ({})
    spacing: 8
    Label { text: qsTr("Health check"); font.bold: true; font.pixelSize: 16 }
    Label {
        text: qsTr("A new container gets traffic once it answers this check; until then the current one serves.")
        wrapMode: Text.Wrap
        color: Theme.muted
        Layout.fillWidth: true
    }
    GridLayout {
        columns: root.width > 560 ? 3 : 1
        columnSpacing: 16
        Layout.fillWidth: true
        LabeledField {
            label: qsTr("Path"); help: qsTr("Empty: any answer on /.")
            TextField {
                id: pathField; objectName: "healthPath"; placeholderText: "/healthz"; font.family: "monospace"; selectByMouse: true
                text: root.health.path && root.health.path !== "/" ? root.health.path : ""
            }
        }
        LabeledField {
            label: qsTr("Expected status"); help: qsTr("Empty: any 2xx or 3xx.")
            TextField {
                id: statusField; objectName: "healthStatus"; placeholderText: "200"; selectByMouse: true
                text: root.health.status ? String(root.health.status) : ""
            }
        }
        LabeledField {
            label: qsTr("Timeout (s)")
            TextField {
                id: timeoutField; objectName: "healthTimeout"; placeholderText: "60"; selectByMouse: true
                text: root.health.timeout ? String(root.health.timeout) : ""
            }
        }
    }
    Button {
        objectName: "saveHealth"
        text: qsTr("Save and redeploy")
        enabled: root.detail && !root.detail.busy
        onClicked: root.detail.saveHealth(pathField.text, statusField.text, timeoutField.text)
    }
}
