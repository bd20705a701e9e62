// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The apps list: state badges live from the event stream, filter and sort.
Page {
    id: page
    property var session
    signal openApp(string name)
    signal createApp()
    padding: 16
    background: null

    header: ToolBar {
        background: null
        leftPadding: 16
        rightPadding: 16
        topPadding: 12
        RowLayout {
            anchors.fill: parent
            spacing: 10
            Label {
                text: qsTr("Apps")
                font.pixelSize: 22
                font.bold: true
            }
            Label {
                text: page.session ? qsTr("%n app(s)", "", page.session.apps.count) : ""
                color: Theme.muted
            }
            Item { Layout.fillWidth: true }
            TextField {
                id: filter
                objectName: "appFilter"
                placeholderText: qsTr("Filter by name, language, state…")
                Layout.preferredWidth: 260
                selectByMouse: true
                onTextChanged: page.session.apps.filterText = text
            }
            ComboBox {
                id: sortBox
                Layout.preferredWidth: implicitWidth + 10
                model: [qsTr("Sort by name"), qsTr("Sort by state"), qsTr("Sort by last change")]
                onActivated: (i) => page.session.apps.sortKey = ["name", "state", "updated"][i]
            }
            Button {
                text: qsTr("New app")
                highlighted: true
                onClicked: page.createApp()
            }
        }
    }

    ListView {
        id: list
        objectName: "appList"
        anchors.fill: parent
        clip: true
        spacing: 6
        model: page.session ? page.session.apps : null
        ScrollBar.vertical: ScrollBar {}
        delegate: ItemDelegate {
            id: row
            required property string name
            required property string state
            required property string language
            required property string url
            required property string node
            required property string owner
            required property string lastError
            required property var updatedAt
            width: ListView.view.width
            padding: 12
            onClicked: page.openApp(name)
            background: Rectangle {
                radius: Theme.radius
                color: row.hovered ? Qt.darker(Theme.card, Theme.dark ? 0.85 : 1.04) : Theme.card
                border.color: Theme.cardBorder
            }
            contentItem: RowLayout {
                spacing: 14
                StateBadge {
                    objectName: "badge_" + row.name
                    state: row.state
                    Layout.preferredWidth: Math.max(implicitWidth, 96)
                }
                ColumnLayout {
                    spacing: 2
                    Layout.fillWidth: true
                    Label {
                        text: row.name
                        font.bold: true
                        font.pixelSize: 15
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        text: row.lastError.length > 0 ? row.lastError.split("\n")[0] : row.url
                        color: row.lastError.length > 0 ? Theme.bad : Theme.muted
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                }
                Label { text: row.language; color: Theme.muted }
                Label {
                    text: qsTr("on %1").arg(row.node)
                    color: Theme.muted
                    visible: row.node.length > 0
                }
                Label {
                    text: row.updatedAt ? Qt.formatDateTime(row.updatedAt, "yyyy-MM-dd hh:mm") : ""
                    color: Theme.muted
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            width: parent.width * 0.7
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: Theme.muted
            text: filter.text.length > 0 ? qsTr("No app matches “%1”.").arg(filter.text)
                                         : qsTr("No apps yet. Create one from a git repository.")
        }
    }
}
