// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs

// The app's output, streamed (follow). Scrolling up pauses following so the lines stay put
// while new ones keep arriving; "Follow" jumps back to the end. Search (on the master,
// optionally a regular expression), since, timestamps, a past deploy's app log, and a
// download of the same query to a file the user picks.
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
    RowLayout {
        spacing: 10
        Layout.fillWidth: true
        TextField {
            id: searchField
            objectName: "logsSearch"
            placeholderText: qsTr("Search (on the server)")
            Accessible.name: qsTr("Search the logs")
            Layout.fillWidth: true
            selectByMouse: true
            onTextEdited: searchDelay.restart()
            Timer {
                id: searchDelay
                interval: 300
                onTriggered: if (view.detail) view.detail.logs.search = searchField.text
            }
        }
        CheckBox {
            objectName: "logsRegex"
            text: qsTr("Regex")
            checked: view.detail ? view.detail.logs.regex : false
            onToggled: view.detail.logs.regex = checked
        }
        CheckBox {
            objectName: "logsTimestamps"
            text: qsTr("Timestamps")
            checked: view.detail ? view.detail.logs.timestamps : false
            onToggled: view.detail.logs.timestamps = checked
        }
        ComboBox {
            objectName: "logsSince"
            Accessible.name: qsTr("Since")
            textRole: "label"
            valueRole: "value"
            model: [
                { label: qsTr("Any time"), value: "" },
                { label: qsTr("Last 10 minutes"), value: "10m" },
                { label: qsTr("Last hour"), value: "1h" },
                { label: qsTr("Last day"), value: "24h" }
            ]
            onActivated: view.detail.logs.since = currentValue
        }
        ComboBox {
            id: deployPicker
            objectName: "logsDeploy"
            Accessible.name: qsTr("Deploy")
            // "live" first, then each deploy that ran (a replaced one's log is kept).
            model: {
                const items = [qsTr("Live container")]
                const deploys = view.detail ? view.detail.deploys : null
                for (let i = 0; deploys && i < deploys.count; ++i)
                    items.push(qsTr("Deploy #%1").arg(deploys.get(i).number))
                return items
            }
            onActivated: index => view.detail.logs.deploy = index === 0 ? 0 : view.detail.deploys.get(index - 1).number
        }
        Button {
            text: qsTr("Download…")
            onClicked: saveDialog.open()
        }
    }
    Label {
        id: downloadState
        visible: text.length > 0
        color: Theme.muted
    }
    FileDialog {
        id: saveDialog
        title: qsTr("Save the log")
        fileMode: FileDialog.SaveFile
        currentFile: "file:///" + (view.detail ? view.detail.name : "app") + ".log"
        onAccepted: view.detail.logs.download(selectedFile)
    }
    Connections {
        target: view.detail ? view.detail.logs : null
        function onDownloaded(path, error) {
            downloadState.text = error.length > 0 ? qsTr("Could not save %1: %2").arg(path).arg(error)
                                                  : qsTr("Saved %1").arg(path)
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
