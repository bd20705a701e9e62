// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gasper.Console

// Language (switches at once), look, remembered masters, where the token is kept.
Page {
    id: page
    property var session
    property string themeOverride: ""
    signal themeChosen(string theme)
    background: null
    padding: 16
    header: Label { text: qsTr("Settings"); font.pixelSize: 22; font.bold: true; padding: 16 }

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth
        ColumnLayout {
            width: Math.min(parent.width, 640)
            spacing: 16
            LabeledField {
                label: qsTr("Language")
                ComboBox {
                    objectName: "languageSwitcher"
                    model: LanguageSwitcher.languages.map((l) => LanguageSwitcher.nativeName(l))
                    currentIndex: LanguageSwitcher.languages.indexOf(LanguageSwitcher.language)
                    onActivated: (i) => LanguageSwitcher.language = LanguageSwitcher.languages[i]
                }
            }
            LabeledField {
                label: qsTr("Appearance")
                ComboBox {
                    model: [qsTr("Follow the system"), qsTr("Light"), qsTr("Dark")]
                    currentIndex: ["", "light", "dark"].indexOf(page.themeOverride === "system" ? "" : page.themeOverride)
                    onActivated: (i) => page.themeChosen(["", "light", "dark"][i])
                }
            }
            LabeledField {
                label: qsTr("Token storage")
                Label {
                    wrapMode: Text.Wrap
                    text: page.session && page.session.vault.fallbackActive
                          ? qsTr("No keychain service answered (%1). Tokens are kept in %2 with permissions 0600.")
                              .arg(page.session.vault.keychainError).arg(page.session.vault.fallbackPath)
                          : qsTr("Tokens are kept in the system keychain.")
                    color: page.session && page.session.vault.fallbackActive ? Theme.warn : palette.windowText
                }
            }
            LabeledField {
                label: qsTr("Remembered masters")
                ColumnLayout {
                    spacing: 4
                    Repeater {
                        model: page.session ? page.session.masters : null
                        delegate: RowLayout {
                            required property string url
                            required property string username
                            Layout.fillWidth: true
                            Label { text: url; font.family: "monospace"; Layout.fillWidth: true; elide: Text.ElideRight }
                            Label { text: username; color: Theme.muted }
                            Button { text: qsTr("Connect"); flat: true; onClicked: page.session.connectTo(url) }
                            Button { text: qsTr("Forget"); flat: true; onClicked: page.session.masters.forget(url) }
                        }
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        TextField { id: newMaster; placeholderText: "http://127.0.0.1:3000"; Layout.fillWidth: true; selectByMouse: true }
                        Button { text: qsTr("Connect"); enabled: newMaster.text.length > 0; onClicked: page.session.connectTo(newMaster.text) }
                    }
                }
            }
        }
    }
}
