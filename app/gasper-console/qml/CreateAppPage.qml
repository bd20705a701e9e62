// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The create-app form. The API validates; its errors show under the field they are about
// (session.formErrors, keyed by the API's field path), the rest above the buttons.
Page {
    id: page
    property var session
    signal cancelled()
    background: null
    readonly property var errors: session ? session.formErrors : ({})

    function form() {
        return {
            name: nameField.text, language: languageBox.currentText, gitUrl: urlField.text,
            gitBranch: branchField.text, build: buildField.text, run: runField.text,
            port: portField.text, memoryMb: memoryField.text, cpus: cpusField.text, env: envField.text,
            healthPath: healthPathField.text, healthStatus: healthStatusField.text, healthTimeout: healthTimeoutField.text
        }
    }
    function submit() { page.session.createApp(form()) }
    // A sample with a name the API refuses, submitted once signed in (screenshots, demos).
    function demo() {
        nameField.text = "My_App"
        urlField.text = "https://git.example.com/me/shop.git"
        buildField.text = "pip install -r requirements.txt"
        runField.text = "gunicorn -b 0.0.0.0:$PORT app:app"
        envField.text = "MESSAGE=hello"
        demoTimer.start()
    }
    Timer {
        id: demoTimer
        interval: 300
        repeat: true
        onTriggered: if (page.session.loggedIn) { stop(); page.submit() }
    }

    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth
        ColumnLayout {
            x: 24
            width: Math.min(scroll.availableWidth - 48, 720)
            spacing: 14
            Item { Layout.preferredHeight: 8 }
            Label { text: qsTr("New app"); font.pixelSize: 22; font.bold: true }
            Label {
                text: qsTr("Gasper clones the repository, runs the build commands and starts the run command. The app must listen on $PORT.")
                wrapMode: Text.Wrap
                color: Theme.muted
                Layout.fillWidth: true
            }
            GridLayout {
                columns: scroll.availableWidth > 640 ? 2 : 1
                columnSpacing: 16
                rowSpacing: 12
                Layout.fillWidth: true
                LabeledField {
                    label: qsTr("Name"); field: "name"; error: page.errors["name"] || ""
                    help: qsTr("Lower-case letters, digits and '-'; it becomes the host name.")
                    TextField { id: nameField; objectName: "nameField"; placeholderText: "my-app"; selectByMouse: true }
                }
                LabeledField {
                    label: qsTr("Language"); field: "language"; error: page.errors["language"] || ""
                    ComboBox { id: languageBox; objectName: "languageBox"; model: ["python", "node", "php", "ruby", "go", "static"] }
                }
                LabeledField {
                    label: qsTr("Git repository URL"); field: "git.url"; error: page.errors["git.url"] || ""
                    Layout.columnSpan: parent.columns
                    TextField { id: urlField; objectName: "gitUrlField"; placeholderText: "https://git.example.com/me/app.git"; selectByMouse: true }
                }
                LabeledField {
                    label: qsTr("Branch"); field: "git.branch"; error: page.errors["git.branch"] || ""
                    help: qsTr("Empty: the repository's default branch.")
                    TextField { id: branchField; objectName: "branchField"; placeholderText: "main"; selectByMouse: true }
                }
                LabeledField {
                    label: qsTr("Port inside the container"); field: "port"; error: page.errors["port"] || ""
                    TextField { id: portField; objectName: "portField"; placeholderText: "8080"; selectByMouse: true }
                }
                LabeledField {
                    label: qsTr("Build commands"); field: "build"; error: page.errors["build"] || ""
                    help: qsTr("One command a line, run in order in /app.")
                    Layout.columnSpan: parent.columns
                    TextArea {
                        id: buildField; objectName: "buildField"
                        placeholderText: "pip install -r requirements.txt"
                        font.family: "monospace"; selectByMouse: true
                        implicitHeight: Math.max(70, contentHeight + 16)
                        background: Rectangle { color: palette.base; border.color: palette.mid; radius: 2 }
                    }
                }
                LabeledField {
                    label: qsTr("Run command"); field: "run"; error: page.errors["run"] || ""
                    help: qsTr("Empty: the web: line of the repository's Procfile (its release: line runs after the build).")
                    Layout.columnSpan: parent.columns
                    TextField { id: runField; objectName: "runField"; placeholderText: "python3 app.py"; font.family: "monospace"; selectByMouse: true }
                }
                LabeledField {
                    label: qsTr("Health check path"); field: "health.path"; error: page.errors["health.path"] || page.errors["health"] || ""
                    help: qsTr("A new container gets traffic once it answers this path. Empty: any answer on /.")
                    Layout.columnSpan: parent.columns
                    TextField { id: healthPathField; objectName: "healthPathField"; placeholderText: "/healthz"; font.family: "monospace"; selectByMouse: true }
                }
                LabeledField {
                    label: qsTr("Expected status"); field: "health.status"; error: page.errors["health.status"] || ""
                    help: qsTr("Empty: any 2xx or 3xx.")
                    TextField { id: healthStatusField; objectName: "healthStatusField"; placeholderText: "200"; selectByMouse: true }
                }
                LabeledField {
                    label: qsTr("Health timeout (s)"); field: "health.timeout"; error: page.errors["health.timeout"] || ""
                    TextField { id: healthTimeoutField; objectName: "healthTimeoutField"; placeholderText: "60"; selectByMouse: true }
                }
                LabeledField {
                    label: qsTr("Memory (MiB)"); field: "resources.memory_mb"; error: page.errors["resources.memory_mb"] || page.errors["resources"] || ""
                    TextField { id: memoryField; objectName: "memoryField"; placeholderText: "256"; selectByMouse: true }
                }
                LabeledField {
                    label: qsTr("CPUs"); field: "resources.cpus"; error: page.errors["resources.cpus"] || ""
                    TextField { id: cpusField; objectName: "cpusField"; placeholderText: "0.5"; selectByMouse: true }
                }
                LabeledField {
                    label: qsTr("Environment"); field: "env"; error: page.errors["env"] || ""
                    help: qsTr("KEY=value, one a line.")
                    Layout.columnSpan: parent.columns
                    TextArea {
                        id: envField; objectName: "envField"
                        placeholderText: "MESSAGE=hello"
                        font.family: "monospace"; selectByMouse: true
                        implicitHeight: Math.max(70, contentHeight + 16)
                        background: Rectangle { color: palette.base; border.color: palette.mid; radius: 2 }
                    }
                }
            }
            FieldError {
                objectName: "formError"
                text: page.session ? page.session.formError : ""
                Layout.fillWidth: true
            }
            RowLayout {
                spacing: 10
                Button {
                    objectName: "createButton"
                    text: qsTr("Create and deploy")
                    highlighted: true
                    enabled: !page.session.busy
                    onClicked: page.submit()
                }
                Button { text: qsTr("Cancel"); flat: true; onClicked: page.cancelled() }
                BusyIndicator { running: page.session && page.session.busy; implicitWidth: 28; implicitHeight: 28 }
            }
            Item { Layout.preferredHeight: 24 }
        }
    }
}
