// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gasper.Console
import Qt.labs.settings

ApplicationWindow {
    id: window
    property string initialMaster: ""
    property string initialPage: ""
    property bool noKeychain: false
    property string themeOverride: ""
    property string page: "apps"
    property string terminalApp: ""

    width: 1180
    height: 760
    minimumWidth: 760
    minimumHeight: 520
    visible: true
    title: session.loggedIn ? qsTr("Gasper console — %1").arg(session.masterUrl) : qsTr("Gasper console")

    SystemPalette { id: system }
    readonly property bool forcedDark: themeOverride === "dark"
    readonly property bool forcedLight: themeOverride === "light"
    readonly property bool dark: forcedDark || (!forcedLight && system.window.hslLightness < 0.5)
    Binding { target: Theme; property: "dark"; value: window.dark }
    palette.window: forcedDark ? "#1f2227" : forcedLight ? "#f3f4f6" : system.window
    palette.windowText: forcedDark ? "#e6e8eb" : forcedLight ? "#1d2125" : system.windowText
    palette.base: forcedDark ? "#272b31" : forcedLight ? "#ffffff" : system.base
    palette.alternateBase: forcedDark ? "#2c3138" : forcedLight ? "#f7f8fa" : system.alternateBase
    palette.text: forcedDark ? "#e6e8eb" : forcedLight ? "#1d2125" : system.text
    palette.button: forcedDark ? "#2f343b" : forcedLight ? "#eceef1" : system.button
    palette.buttonText: forcedDark ? "#e6e8eb" : forcedLight ? "#1d2125" : system.buttonText
    palette.highlight: Theme.accent
    palette.highlightedText: "#ffffff"
    palette.mid: forcedDark ? "#3a3f47" : forcedLight ? "#c9ced6" : system.mid
    palette.placeholderText: Theme.muted

    Session {
        id: session
        objectName: "session"
        onCreated: (name) => window.openApp(name)
        onDeleted: window.page = "apps"
        onNotify: (title, message) => {
            notifier.show(title, message)
            toast.show(title, message)
        }
    }
    Notifier {
        id: notifier
        onActivated: { window.show(); window.raise(); window.requestActivate() }
    }
    Settings {
        category: "window"
        property alias x: window.x
        property alias y: window.y
        property alias width: window.width
        property alias height: window.height
    }

    function openApp(name) {
        session.openApp(name)
        page = "app"
    }
    function openTerminal(name) {
        terminalApp = name
        page = "terminal"
    }

    Component.onCompleted: {
        if (noKeychain)
            session.useFileVault()
        const url = initialMaster.length > 0 ? initialMaster
                  : session.masters.count > 0 ? session.masters.urlAt(0) : "http://127.0.0.1:3000"
        session.connectTo(url)
        if (initialPage.length > 0)
            pendingPage = initialPage
    }
    // --page waits for the sign-in (the app page needs the token).
    property string pendingPage: ""
    Connections {
        target: session
        function onUserChanged() {
            if (!session.loggedIn || window.pendingPage.length === 0)
                return
            const p = window.pendingPage
            window.pendingPage = ""
            // app:NAME[:TAB] (deploy, logs, metrics, history, env, settings); create-demo fills
            // the form with a bad name and submits it (screenshots of an error by its field).
            if (p.startsWith("app:")) {
                const parts = p.split(":")
                window.openApp(parts[1])
                if (parts.length > 2)
                    appPage.showTab(parts[2])
            } else if (p.startsWith("terminal:")) {
                window.openTerminal(p.substring(9))
            } else if (p === "create-demo") {
                window.page = "create"
                createPage.demo()
            } else {
                window.page = p
            }
        }
    }

    header: ToolBar {
        visible: session.loggedIn
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 10
            anchors.rightMargin: 10
            spacing: 10
            Label {
                text: "Gasper"
                font.bold: true
                font.pixelSize: 18
                color: Theme.accent
            }
            ComboBox {
                id: masterBox
                objectName: "masterSwitcher"
                model: session.masters
                textRole: "url"
                // The master in use is always the most recently used one: row 0.
                currentIndex: session.masters.count > 0 ? 0 : -1
                Layout.preferredWidth: 260
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Switch master")
                onActivated: (index) => session.connectTo(session.masters.urlAt(index))
            }
            Rectangle {
                width: 10; height: 10; radius: 5
                color: session.streamStatus === "online" ? Theme.good
                     : session.streamStatus === "waiting" ? Theme.bad : Theme.warn
            }
            Label {
                text: session.streamStatus === "online" ? qsTr("live") : qsTr("offline")
                color: Theme.muted
            }
            Item { Layout.fillWidth: true }
            Label {
                visible: session.vault.fallbackActive
                objectName: "keychainFallbackBadge"
                text: qsTr("Token in file (no keychain)")
                color: Theme.warn
                ToolTip.visible: fallbackArea.containsMouse
                ToolTip.text: qsTr("No keychain service answered (%1). The token is kept in %2 (readable by you only).")
                              .arg(session.vault.keychainError).arg(session.vault.fallbackPath)
                MouseArea { id: fallbackArea; anchors.fill: parent; hoverEnabled: true }
            }
            Label {
                text: session.admin ? qsTr("%1 (admin)").arg(session.username) : session.username
            }
            Button {
                text: qsTr("Sign out")
                flat: true
                onClicked: session.logout()
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        ConnectionBanner {
            session: session
            Layout.fillWidth: true
        }
        ConnectPage {
            visible: !session.loggedIn
            session: session
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
        RowLayout {
            visible: session.loggedIn
            spacing: 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            Pane {
                Layout.fillHeight: true
                Layout.preferredWidth: Math.max(170, nav.implicitWidth + 24)
                padding: 8
                background: Rectangle { color: window.palette.alternateBase }
                ColumnLayout {
                    id: nav
                    width: parent.width
                    spacing: 2
                    Repeater {
                        model: [
                            { key: "apps", label: qsTr("Apps"), show: true },
                            { key: "create", label: qsTr("New app"), show: true },
                            { key: "nodes", label: qsTr("Nodes"), show: session.admin },
                            { key: "settings", label: qsTr("Settings"), show: true }
                        ]
                        delegate: ItemDelegate {
                            required property var modelData
                            visible: modelData.show
                            text: modelData.label
                            Layout.fillWidth: true
                            highlighted: window.page === modelData.key
                                         || (modelData.key === "apps" && (window.page === "app" || window.page === "terminal"))
                            onClicked: {
                                if (modelData.key === "create")
                                    session.clearFormErrors()
                                window.page = modelData.key
                            }
                        }
                    }
                }
            }
            StackLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                currentIndex: ["apps", "create", "app", "nodes", "terminal", "settings"].indexOf(window.page)
                AppsPage {
                    session: session
                    onOpenApp: (name) => window.openApp(name)
                    onCreateApp: { session.clearFormErrors(); window.page = "create" }
                }
                CreateAppPage {
                    id: createPage
                    objectName: "createPage"
                    session: session
                    onCancelled: window.page = "apps"
                }
                AppPage {
                    id: appPage
                    session: session
                    detail: session.current
                    onBack: { session.closeApp(); window.page = "apps" }
                    onOpenTerminal: (name) => window.openTerminal(name)
                }
                NodesPage {
                    session: session
                    active: window.page === "nodes"
                }
                TerminalPage {
                    session: session
                    app: window.terminalApp
                    active: window.page === "terminal"
                    onBack: window.page = session.current ? "app" : "apps"
                }
                SettingsPage {
                    session: session
                    themeOverride: window.themeOverride
                    onThemeChosen: (theme) => window.themeOverride = theme
                }
            }
        }
    }

    Popup {
        id: toast
        objectName: "toast"
        property string title: ""
        property string message: ""
        function show(t, m) { title = t; message = m; open(); hideTimer.restart() }
        x: (window.width - width) / 2
        y: window.height - height - 80
        width: Math.min(window.width - 40, 520)
        padding: 12
        background: Rectangle { radius: Theme.radius; color: Theme.card; border.color: Theme.cardBorder }
        contentItem: ColumnLayout {
            Label { text: toast.title; font.bold: true; Layout.fillWidth: true; wrapMode: Text.Wrap }
            Label { text: toast.message; Layout.fillWidth: true; wrapMode: Text.Wrap }
        }
        Timer { id: hideTimer; interval: 6000; onTriggered: toast.close() }
    }
}
