// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The "lost the master" banner: shown while the event stream is down, with the countdown
// to the next attempt; it goes away by itself when the master answers again.
Rectangle {
    id: banner
    property var session
    objectName: "connectionBanner"
    visible: session && session.connectionLost
    color: Theme.warn
    implicitHeight: visible ? content.implicitHeight + 12 : 0
    RowLayout {
        id: content
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 10
        Label {
            text: "⚠"
            color: "white"
            font.pixelSize: 18
        }
        Label {
            objectName: "connectionBannerText"
            Layout.fillWidth: true
            color: "white"
            font.bold: true
            wrapMode: Text.Wrap
            text: !banner.session ? "" : banner.session.retryInS > 0
                  ? qsTr("Connection to %1 lost. Retrying in %n s…", "", banner.session.retryInS).arg(banner.session.masterUrl)
                  : qsTr("Connection to %1 lost. Reconnecting…").arg(banner.session.masterUrl)
        }
        Label {
            visible: banner.session && banner.session.connectionError.length > 0
            text: banner.session ? banner.session.connectionError : ""
            color: "white"
            elide: Text.ElideRight
            Layout.maximumWidth: 360
        }
    }
}
