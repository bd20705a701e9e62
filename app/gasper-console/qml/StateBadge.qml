// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls

// A state as a coloured pill; busy states pulse.
Rectangle {
    id: badge
    property string state: ""
    property string label: ""  // instead of the state's own name
    readonly property bool working: ["queued", "cloning", "building", "starting", "restarting", "running_deploy"].indexOf(state) >= 0
    implicitWidth: label.implicitWidth + 18
    implicitHeight: label.implicitHeight + 6
    radius: height / 2
    color: Qt.rgba(c.r, c.g, c.b, 0.16)
    border.color: c
    border.width: 1
    readonly property color c: Theme.stateColor(state)
    Label {
        id: label
        anchors.centerIn: parent
        text: badge.label.length > 0 ? badge.label : Theme.stateLabel(badge.state)
        color: badge.c
        font.bold: true
        font.pixelSize: 12
    }
    SequentialAnimation on opacity {
        running: badge.working
        loops: Animation.Infinite
        NumberAnimation { to: 0.55; duration: 700 }
        NumberAnimation { to: 1; duration: 700 }
        onStopped: badge.opacity = 1
    }
}
