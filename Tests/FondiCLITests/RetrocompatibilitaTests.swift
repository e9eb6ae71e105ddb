// Goal: a ledger written by release 0.8.0 (Tests/Fixtures/registro-0.8.0: the Casarano demo, committed before
// the changes of DOMAIN §9) opens, verifies and answers every query exactly as that release did, and takes
// new commands after. The expected answers were printed by 0.8.0 itself.
import Fondi
import Foundation
import Testing

struct RetrocompatibilitaTests {
    static let cartella = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/registro-0.8.0")

    static let domande: [(file: String, argomenti: [String])] = [
        ("saldi-linea.json", ["saldi", "--formato", "json"]),
        ("saldi-fonte.json", ["saldi", "--per", "fonte", "--formato", "json"]),
        ("saldi-servizio.json", ["saldi", "--per", "servizio", "--formato", "json"]),
        ("saldi-esercizio.json", ["saldi", "--per", "esercizio", "--formato", "json"]),
        ("residui.json", ["residui", "--formato", "json"]),
        ("prospetto.json", ["prospetto", "--formato", "json"]),
        ("storia-2022-104.json", ["storia", "--impegno", "2022/104", "--formato", "json"]),
        ("esporta.jsonl", ["esporta"]),
        ("residui-al-2022-03-31.json", ["residui", "--al", "2022-03-31", "--formato", "json"]),
        ("saldi-fonte-fino-a-150.json", ["saldi", "--per", "fonte", "--fino-a", "150", "--formato", "json"]),
        ("verifica.json", ["verifica", "--formato", "json"]),
    ]

    @Test func unRegistroDellaVersione080RispondeComePrima() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try FileManager.default.copyItem(at: Self.cartella.appendingPathComponent("casarano.sqlite"), to: URL(fileURLWithPath: b.db))
        for (file, argomenti) in Self.domande {
            let atteso = try String(contentsOf: Self.cartella.appendingPathComponent(file), encoding: .utf8)
            let e = try b.esegui(argomenti)
            #expect(e.codice == 0, "\(argomenti): \(e.errore)")
            #expect(e.uscita == atteso, "\(argomenti) risponde diversamente dalla 0.8.0")
        }
        #expect(try b.esegui(["replay"]).codice == 0)
        // New commands after, on the old ledger.
        let nuovo = try b.esegui(["servizio", "registra", "--codice", "NUOVO", "--descrizione", "Servizio nuovo", "--data", "2023-06-01"])
        #expect(nuovo.codice == 0, "\(nuovo.errore)")
        let v = try b.esegui(["verifica", "--formato", "json"]).json()
        #expect(v["esito"] == .stringa("ok") && v["eventi"] == .intero(262))
    }
}
