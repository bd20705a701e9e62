// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The nodes and their load (admins). Refreshed every 5 s while shown.
Page {
    id: page
    property var session
    property bool active: false
    background: null
    padding: 16
    Timer { interval: 5000; repeat: true; running: page.active; triggeredOnStart: true; onTriggered: page.session.refreshNodes() }

    header: Label {
        text: qsTr("Nodes")
        font.pixelSize: 22
        font.bold: true
        padding: 16
    }
    ListView {
        id: list
        anchors.fill: parent
        spacing: 8
        clip: true
        model: page.session ? page.session.nodes : null
        delegate: Frame {
            id: node
            required property string name
            required property string status
            required property var apps
            required property var containers_running
            required property var cpus
            required property var memory_mb
            required property var load1
            required property var engine
            required property var heartbeat_at
            required property var services
            required property var error
            width: ListView.view.width
            background: Rectangle { color: Theme.card; border.color: Theme.cardBorder; radius: Theme.radius }
            GridLayout {
                width: parent.width
                columns: 4
                columnSpacing: 20
                RowLayout {
                    Layout.columnSpan: 4
                    spacing: 10
                    Label { text: node.name; font.bold: true; font.pixelSize: 16 }
                    StateBadge {
                        state: node.status === "ready" ? "running" : "failed"
                        label: node.status === "ready" ? qsTr("ready") : qsTr("unreachable")
                    }
                    Label { text: node.engine || ""; color: Theme.muted; Layout.fillWidth: true; elide: Text.ElideRight }
                }
                ColumnLayout {
                    Label { text: qsTr("Load (1 min)"); color: Theme.muted }
                    Label { text: Number(node.load1 || 0).toFixed(2) + " / " + (node.cpus || 0); font.pixelSize: 18 }
                    ProgressBar { from: 0; to: Math.max(1, node.cpus || 1); value: node.load1 || 0; Layout.preferredWidth: 140 }
                }
                ColumnLayout {
                    Label { text: qsTr("Memory"); color: Theme.muted }
                    Label { text: qsTr("%1 GiB").arg(((node.memory_mb || 0) / 1024).toFixed(1)); font.pixelSize: 18 }
                }
                ColumnLayout {
                    Label { text: qsTr("Apps"); color: Theme.muted }
                    Label { text: qsTr("%1 (%2 containers running)").arg(node.apps || 0).arg(node.containers_running || 0); font.pixelSize: 18 }
                }
                ColumnLayout {
                    Label { text: qsTr("Services"); color: Theme.muted }
                    Label { text: node.services ? node.services.join(", ") : ""; wrapMode: Text.Wrap; Layout.maximumWidth: 220 }
                }
                Label {
                    Layout.columnSpan: 4
                    text: qsTr("Last heartbeat: %1").arg(String(node.heartbeat_at || "").replace("T", " ").substring(0, 19))
                    color: Theme.muted
                }
                Label {
                    Layout.columnSpan: 4
                    visible: !!node.error
                    text: node.error || ""
                    color: Theme.bad
                    wrapMode: Text.Wrap
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            text: page.session && page.session.nodesError.length > 0 ? page.session.nodesError : qsTr("No nodes.")
            color: Theme.muted
        }
    }
}
