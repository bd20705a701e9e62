// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A form row: label, the field (its default content), help text and the error for it.
// The label sits above the field, so long translations wrap instead of pushing the form.
ColumnLayout {
    id: row
    property string label: ""
    property string help: ""
    property string error: ""
    property string field: ""
    default property alias content: holder.data
    spacing: 3
    Layout.fillWidth: true
    Label {
        text: row.label
        font.bold: true
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    Item {
        id: holder
        Layout.fillWidth: true
        implicitHeight: children.length > 0 ? children[0].implicitHeight : 0
        onWidthChanged: if (children.length > 0) children[0].width = width
        Component.onCompleted: if (children.length > 0) children[0].width = width
    }
    Label {
        visible: row.help.length > 0 && row.error.length === 0
        text: row.help
        color: Theme.muted
        font.pixelSize: 12
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    FieldError {
        objectName: "error_" + row.field
        text: row.error
        Layout.fillWidth: true
    }
}
