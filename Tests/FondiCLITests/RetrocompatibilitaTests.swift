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

    static let colonneNuove: Set<String> = ["prenotato", "fpv_entrata", "fpv_spesa", "accertato", "riscosso", "da_riscuotere", "residui_attivi", "cassa"]

    /// A report of this version with the §9.4 additions taken out, each checked first: zero, but cassa, which is
    /// riscosso − pagato = −pagato; `residui` gains an empty list of `attivi`.
    static func senzaColonneNuove(_ v: ValoreJSON) -> ValoreJSON {
        switch v {
        case var .oggetto(campi):
            if let attivi = campi.removeValue(forKey: "attivi") { #expect(attivi == .lista([])) }
            for k in colonneNuove {
                guard let x = campi.removeValue(forKey: k) else { continue }
                if k == "cassa", case let .intero(pagato)? = campi["pagato"] { #expect(x == .intero(-pagato)) } else { #expect(x == .intero(0), "\(k)") }
            }
            return .oggetto(campi.mapValues(senzaColonneNuove))
        case let .lista(l): return .lista(l.map(senzaColonneNuove))
        default: return v
        }
    }

    @Test func unRegistroDellaVersione080RispondeComePrima() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try FileManager.default.copyItem(at: Self.cartella.appendingPathComponent("casarano.sqlite"), to: URL(fileURLWithPath: b.db))
        for (file, argomenti) in Self.domande {
            let atteso = try String(contentsOf: Self.cartella.appendingPathComponent(file), encoding: .utf8)
            let e = try b.esegui(argomenti)
            #expect(e.codice == 0, "\(argomenti): \(e.errore)")
            if file.hasSuffix(".jsonl") || file.hasPrefix("storia") || file.hasPrefix("verifica") {
                // Events, their trail and the chain: byte for byte.
                #expect(e.uscita == atteso, "\(argomenti) risponde diversamente dalla 0.8.0")
            } else {
                // Reports: every figure of 0.8.0 unchanged; only the columns DOMAIN §9.4 adds, with the values a
                // ledger without §9 events must give them.
                #expect(Self.senzaColonneNuove(try e.json()) == (try ValoreJSON.leggi(atteso)), "\(argomenti) risponde diversamente dalla 0.8.0")
            }
        }
        let replay = try b.esegui(["replay"])
        // The state digest this release computes for the old ledger: the one computed before the tables of DOMAIN
        // §10 existed (empty tables of a later release do not enter it, ADR 0023).
        #expect(replay.codice == 0 && replay.uscita.contains("b175ecbea267b52c2806e3a7d34ffe6bdf3e801916a005208d1ebeca19d206ac"), "\(replay.uscita)")
        // New commands after, on the old ledger.
        let nuovo = try b.esegui(["servizio", "registra", "--codice", "NUOVO", "--descrizione", "Servizio nuovo", "--data", "2023-06-01"])
        #expect(nuovo.codice == 0, "\(nuovo.errore)")
        let v = try b.esegui(["verifica", "--formato", "json"]).json()
        #expect(v["esito"] == .stringa("ok") && v["eventi"] == .intero(262))
    }
}
