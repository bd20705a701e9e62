// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Connect to a master and sign in (or register: the first user of a master is its admin).
Item {
    id: page
    property var session
    property bool registering: false

    function submit() {
        if (page.session.masterUrl !== urlField.text)
            page.session.connectTo(urlField.text)
        if (registering)
            page.session.registerAndLogin(userField.text, emailField.text, passwordField.text)
        else
            page.session.login(userField.text, passwordField.text)
    }

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth
        ColumnLayout {
            width: Math.min(parent.width - 40, 460)
            x: (parent.width - width) / 2
            spacing: 14
            Item { Layout.preferredHeight: 40 }
            Label {
                text: "Gasper"
                font.pixelSize: 34
                font.bold: true
                color: Theme.accent
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                text: qsTr("Connect to a master")
                font.pixelSize: 18
                Layout.alignment: Qt.AlignHCenter
                wrapMode: Text.Wrap
            }
            Frame {
                Layout.fillWidth: true
                background: Rectangle { color: Theme.card; border.color: Theme.cardBorder; radius: Theme.radius }
                ColumnLayout {
                    anchors.fill: parent
                    spacing: 10
                    LabeledField {
                        label: qsTr("Master URL")
                        field: "url"
                        TextField {
                            id: urlField
                            objectName: "masterUrlField"
                            text: page.session ? page.session.masterUrl : ""
                            placeholderText: "http://127.0.0.1:3000"
                            selectByMouse: true
                            onAccepted: page.session.connectTo(text)
                        }
                    }
                    Flow {
                        Layout.fillWidth: true
                        spacing: 6
                        visible: page.session && page.session.masters.count > 0
                        Repeater {
                            model: page.session ? page.session.masters : null
                            delegate: Button {
                                required property string url
                                required property string username
                                text: username.length > 0 ? username + " @ " + url : url
                                flat: true
                                font.pixelSize: 12
                                onClicked: { urlField.text = url; userField.text = username; page.session.connectTo(url) }
                            }
                        }
                    }
                    LabeledField {
                        label: qsTr("Username")
                        field: "username"
                        error: page.session && page.session.loginErrorField === "username" ? page.session.loginError : ""
                        TextField {
                            id: userField
                            objectName: "usernameField"
                            selectByMouse: true
                            onAccepted: passwordField.forceActiveFocus()
                        }
                    }
                    LabeledField {
                        visible: page.registering
                        label: qsTr("E-mail")
                        field: "email"
                        error: page.session && page.session.loginErrorField === "email" ? page.session.loginError : ""
                        TextField { id: emailField; selectByMouse: true }
                    }
                    LabeledField {
                        label: qsTr("Password")
                        field: "password"
                        error: page.session && page.session.loginErrorField === "password" ? page.session.loginError : ""
                        TextField {
                            id: passwordField
                            objectName: "passwordField"
                            echoMode: TextInput.Password
                            onAccepted: page.submit()
                        }
                    }
                    FieldError {
                        Layout.fillWidth: true
                        text: page.session && page.session.loginError.length > 0
                              && ["username", "email", "password"].indexOf(page.session.loginErrorField) < 0
                              ? page.session.loginError : ""
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        Button {
                            text: page.registering ? qsTr("Register and sign in") : qsTr("Sign in")
                            highlighted: true
                            enabled: !page.session.busy && userField.text.length > 0 && passwordField.text.length > 0
                            onClicked: page.submit()
                        }
                        BusyIndicator { running: page.session && page.session.busy; implicitWidth: 28; implicitHeight: 28 }
                        Item { Layout.fillWidth: true }
                        Button {
                            flat: true
                            text: page.registering ? qsTr("I have an account") : qsTr("Create an account")
                            onClicked: page.registering = !page.registering
                        }
                    }
                }
            }
            Label {
                visible: page.session && page.session.vault.fallbackActive
                text: qsTr("No keychain service answered: your token will be kept in %1, readable by you only.")
                      .arg(page.session ? page.session.vault.fallbackPath : "")
                color: Theme.warn
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
        }
    }
}
