// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls

// The API's message for one field, under that field.
Label {
    visible: text.length > 0
    color: Theme.bad
    wrapMode: Text.Wrap
    font.pixelSize: 12
    Accessible.role: Accessible.AlertMessage
}
