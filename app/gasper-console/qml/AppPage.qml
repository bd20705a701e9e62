// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// One app: actions, the deploy in progress, logs, charts, deploy history, env and push to deploy.
Page {
    id: page
    property var session
    property var detail
    signal back()
    signal openTerminal(string name)
    background: null
    readonly property var app: detail ? detail.app : ({})
    readonly property string state: detail ? detail.state : ""
    function showTab(name) {
        const index = ["deploy", "logs", "metrics", "history", "env", "hooks", "settings"].indexOf(name)
        if (index >= 0)
            tabs.currentIndex = index
    }

    header: Pane {
        background: null
        padding: 16
        bottomPadding: 4
        ColumnLayout {
            width: parent.width
            spacing: 8
            RowLayout {
                spacing: 12
                Layout.fillWidth: true
                Button { text: "←"; flat: true; onClicked: page.back(); ToolTip.visible: hovered; ToolTip.text: qsTr("Back to apps") }
                Label {
                    text: page.detail ? page.detail.name : ""
                    font.pixelSize: 22
                    font.bold: true
                    elide: Text.ElideRight
                    Layout.maximumWidth: 320
                }
                StateBadge { objectName: "appStateBadge"; state: page.state }
                Label {
                    text: page.app.url ? "<a href=\"" + page.app.url + "\">" + page.app.url + "</a>" : ""
                    textFormat: Text.RichText
                    onLinkActivated: (link) => Qt.openUrlExternally(link)
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                BusyIndicator { running: page.detail && page.detail.busy; implicitWidth: 26; implicitHeight: 26 }
            }
            Flow {
                Layout.fillWidth: true
                spacing: 6
                Button { text: qsTr("Rebuild"); onClicked: page.detail.action("rebuild") }
                Button { text: qsTr("Restart"); enabled: page.state !== "stopped"; onClicked: page.detail.action("restart") }
                Button { text: qsTr("Stop"); enabled: page.state === "running" || page.state === "restarting"; onClicked: page.detail.action("stop") }
                Button { text: qsTr("Start"); enabled: page.state === "stopped"; onClicked: page.detail.action("start") }
                Button { text: qsTr("Terminal"); enabled: page.state === "running"; onClicked: page.openTerminal(page.detail.name) }
                Button {
                    text: qsTr("Delete…")
                    palette.buttonText: Theme.bad
                    onClicked: confirmDelete.open()
                }
            }
            Label {
                visible: (page.app.last_error || "").length > 0 || (page.detail && page.detail.error.length > 0)
                text: page.detail && page.detail.error.length > 0 ? page.detail.error : (page.app.last_error || "")
                color: Theme.bad
                wrapMode: Text.Wrap
                maximumLineCount: 4
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            TabBar {
                id: tabs
                Layout.fillWidth: true
                TabButton { text: qsTr("Deploy"); width: implicitWidth; leftPadding: 14; rightPadding: 14 }
                TabButton { text: qsTr("Logs"); width: implicitWidth; leftPadding: 14; rightPadding: 14 }
                TabButton { text: qsTr("Metrics"); width: implicitWidth; leftPadding: 14; rightPadding: 14 }
                TabButton { text: qsTr("History"); width: implicitWidth; leftPadding: 14; rightPadding: 14 }
                TabButton { text: qsTr("Environment"); width: implicitWidth; leftPadding: 14; rightPadding: 14 }
                TabButton { objectName: "hooksTab"; text: qsTr("Push to deploy"); width: implicitWidth; leftPadding: 14; rightPadding: 14 }
                TabButton { text: qsTr("Settings"); width: implicitWidth; leftPadding: 14; rightPadding: 14 }
            }
        }
    }

    StackLayout {
        anchors.fill: parent
        anchors.margins: 16
        anchors.topMargin: 8
        currentIndex: tabs.currentIndex
        DeployView { detail: page.detail }
        LogsView { detail: page.detail; active: tabs.currentIndex === 1 && page.visible }
        MetricsView { detail: page.detail }
        HistoryView { detail: page.detail }
        EnvEditor { detail: page.detail }
        HooksView { hooks: page.detail ? page.detail.hooks : null; active: tabs.currentIndex === 5 && page.visible }
        ScrollView {
            contentWidth: availableWidth
            ColumnLayout {
            width: parent.width
            spacing: 24
            GridLayout {
                Layout.fillWidth: true
                columns: 2
                columnSpacing: 16
                rowSpacing: 8
                Repeater {
                    model: [
                        [qsTr("Language"), page.app.language || ""],
                        [qsTr("Git repository URL"), page.app.git ? page.app.git.url : ""],
                        [qsTr("Branch"), page.app.git && page.app.git.branch ? page.app.git.branch : qsTr("(default)")],
                        [qsTr("Build commands"), page.app.build ? page.app.build.join("\n") : ""],
                        [qsTr("Run command"), page.app.run || qsTr("(the Procfile's web: line)")],
                        [qsTr("Health check"), Theme.healthText(page.app.health)],
                        [qsTr("Pinned to"), page.app.git && page.app.git.commit ? qsTr("commit %1 (a rollback, until the next rebuild)").arg(String(page.app.git.commit).substring(0, 12)) : qsTr("(the branch's head)")],
                        [qsTr("Port inside the container"), String(page.app.port || "")],
                        [qsTr("Memory (MiB)"), page.app.resources ? String(page.app.resources.memory_mb) : ""],
                        [qsTr("CPUs"), page.app.resources ? String(page.app.resources.cpus) : ""],
                        [qsTr("Node"), page.app.node || ""],
                        [qsTr("Owner"), page.app.owner || ""],
                        [qsTr("Restarts"), String(page.app.restarts || 0)],
                        [qsTr("Shell (SSH)"), Theme.sshCommand(page.app.ssh, page.session ? page.session.masterUrl : "", false) || qsTr("(the SSH service is off)")],
                        [qsTr("Files (SFTP, scp -P)"), Theme.sshCommand(page.app.ssh, page.session ? page.session.masterUrl : "", true) || qsTr("(the SSH service is off)")]
                    ]
                    delegate: RowLayout {
                        required property var modelData
                        Layout.columnSpan: 2
                        Layout.fillWidth: true
                        spacing: 16
                        Label { text: modelData[0]; font.bold: true; Layout.preferredWidth: 220; wrapMode: Text.Wrap }
                        Label { text: modelData[1]; Layout.fillWidth: true; wrapMode: Text.WrapAnywhere; font.family: "monospace" }
                    }
                }
            }
            HealthSettings { detail: page.detail; Layout.fillWidth: true }
            }
        }
    }

    Dialog {
        id: confirmDelete
        objectName: "confirmDelete"
        title: qsTr("Delete %1?").arg(page.detail ? page.detail.name : "")
        modal: true
        x: (page.width - width) / 2
        y: (page.height - height) / 3
        width: Math.min(page.width - 40, 460)
        contentHeight: 80
        standardButtons: Dialog.Cancel | Dialog.Ok
        Label {
            width: confirmDelete.availableWidth
            height: implicitHeight
            wrapMode: Text.Wrap
            text: qsTr("Its container, sources, route and deploy history are removed. This cannot be undone.")
        }
        onAccepted: page.session.deleteApp(page.detail.name)
    }
}
