// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gasper.Console

// CPU (of the app's limit), memory, network, disk I/O and restarts over a range picked here
// (1 h, 24 h, 30 d), from the stored series and moved live by app.metrics events; drawn by
// ChartItem (no Qt Charts).
ScrollView {
    id: view
    property var detail
    readonly property var m: detail ? detail.metrics : null
    contentWidth: availableWidth
    function last(list) { return list && list.length > 0 ? list[list.length - 1] : 0 }

    GridLayout {
        width: view.availableWidth
        columns: width > 700 ? 2 : 1
        columnSpacing: 16
        rowSpacing: 16
        RowLayout {
            Layout.fillWidth: true
            Layout.columnSpan: parent.columns
            Label {
                text: view.m && view.m.stepS > 0
                      ? qsTr("One point per %1 s, sampled every %2 s").arg(view.m.stepS).arg(view.m.intervalS) : ""
                color: Theme.muted
                Layout.fillWidth: true
            }
            Repeater {
                model: [ { id: "1h", label: qsTr("1 h") }, { id: "24h", label: qsTr("24 h") }, { id: "30d", label: qsTr("30 d") } ]
                delegate: Button {
                    required property var modelData
                    objectName: "range-" + modelData.id
                    text: modelData.label
                    checkable: true
                    checked: view.m && view.m.range === modelData.id
                    onClicked: if (view.detail) view.detail.setMetricsRange(modelData.id)
                    Accessible.name: qsTr("Show the last %1").arg(modelData.label)
                }
            }
        }
        Label {
            visible: !view.m || view.m.count === 0
            text: qsTr("No samples in this range yet: the app is sampled every %1 s while it runs.").arg(view.m ? view.m.intervalS : 5)
            color: Theme.muted
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.columnSpan: parent.columns
        }
        Repeater {
            model: [
                { title: qsTr("CPU (of the limit)"), values: view.m ? view.m.cpu : [], unit: "%", color: Theme.accent, min: 5,
                  max: 0 },
                { title: qsTr("Memory"), values: view.m ? view.m.memoryMb : [], unit: qsTr("MiB"), color: Theme.good,
                  min: 16, max: view.m ? view.m.memoryLimitMb : 0 },
                { title: qsTr("Network in"), values: view.m ? view.m.rxKbps : [], unit: qsTr("KiB/s"), color: "#8e6cdf", min: 1, max: 0 },
                { title: qsTr("Network out"), values: view.m ? view.m.txKbps : [], unit: qsTr("KiB/s"), color: "#d9822b", min: 1, max: 0 },
                { title: qsTr("Disk read"), values: view.m ? view.m.readKbps : [], unit: qsTr("KiB/s"), color: "#3c8d9e", min: 1, max: 0 },
                { title: qsTr("Disk write"), values: view.m ? view.m.writeKbps : [], unit: qsTr("KiB/s"), color: "#b3546a", min: 1, max: 0 },
                { title: qsTr("Restarts"), values: view.m ? view.m.restarts : [], unit: "", color: Theme.bad, min: 1, max: 0 }
            ]
            delegate: Frame {
                id: card
                required property var modelData
                Layout.fillWidth: true
                Layout.preferredWidth: 1  // equal columns
                Layout.preferredHeight: 190
                background: Rectangle { color: Theme.card; border.color: Theme.cardBorder; radius: Theme.radius }
                ColumnLayout {
                    anchors.fill: parent
                    RowLayout {
                        Layout.fillWidth: true
                        Label { text: card.modelData.title; font.bold: true }
                        Item { Layout.fillWidth: true }
                        Label {
                            text: Number(view.last(card.modelData.values)).toFixed(card.modelData.unit === "" ? 0 : 1)
                                  + " " + card.modelData.unit
                            font.pixelSize: 16
                            color: card.modelData.color
                        }
                    }
                    ChartItem {
                        id: chart
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        values: card.modelData.values
                        color: card.modelData.color
                        gridColor: Theme.dark ? "#30ffffff" : "#20000000"
                        minimumRange: card.modelData.min
                        maximum: card.modelData.max
                        capacity: Math.max(2, view.m ? view.m.points : 2)
                        Label {
                            anchors.top: parent.top
                            anchors.right: parent.right
                            text: Number(chart.scaleMax).toFixed(chart.scaleMax < 10 ? 1 : 0)
                            font.pixelSize: 10
                            color: Theme.muted
                        }
                    }
                }
            }
        }
    }
}
