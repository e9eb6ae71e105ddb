import Fondi
import FondiServizi
import FondiStore
import FondiTesting
import Foundation
import Testing

/// The use cases run against the store protocol (issue 19): the in-memory twin and the SQLite `Registro`, fed the
/// real Casarano demo files through the shared import, give the same events (hashes included), the same storia,
/// the same reports at the head, at a date and after a seq, and the same impegni pages.
@Suite struct DepositoTests {
    static let dati = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Scripts/data").standardized.path
    static let orologio: @Sendable () -> String = { "2026-01-01T00:00:00.000Z" }

    /// The demo's commands, as `fondi importa` reads them.
    static func passi() throws -> [Passo] {
        let base = Contesto(data: DataContabile("2026-01-01"), atto: nil, utente: cod("demo"), chiave: nil)
        var out: [Passo] = []
        for f in try FileManager.default.contentsOfDirectory(atPath: dati).filter({ $0.hasPrefix("casarano-0") && $0.hasSuffix(".jsonl") }).sorted() {
            let i = try Importazione(percorso: dati + "/" + f, base: base)
            while let p = try i.prossimo() { out.append(p) }
        }
        return out
    }

    /// The same history in both stores.
    static func gemelli() throws -> (Registro, DepositoInMemoria, String) {
        let cartella = NSTemporaryDirectory() + "fondi-deposito-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: cartella, withIntermediateDirectories: true)
        let registro = try Registro.inizializza(percorso: cartella + "/r.sqlite", orologio: orologio).registro
        let memoria = DepositoInMemoria(orologio: orologio)
        let passi = try passi()
        _ = try registro.applica(passi, prova: false)
        _ = try memoria.applica(passi, prova: false)
        return (registro, memoria, cartella)
    }

    @Test func stessiEventiStessiHash() throws {
        let (registro, memoria, cartella) = try Self.gemelli()
        defer { try? FileManager.default.removeItem(atPath: cartella) }
        var sulDisco: [EventoRegistrato] = []
        try registro.leggiEventi(da: 1, fino: nil) { sulDisco.append($0) }
        #expect(sulDisco.count > 250)
        #expect(sulDisco == memoria.eventi)
        #expect(try registro.numeroEventi() == memoria.numeroEventi())
    }

    @Test(arguments: [[String: String](), ["fonte": "PDZ-2022-2024"], ["servizio": "A2"], ["impegno": "2023/1"], ["al": "2023-06-30"], ["fino-a": "150"]])
    func stessaStoria(_ opzioni: [String: String]) throws {
        let (registro, memoria, cartella) = try Self.gemelli()
        defer { try? FileManager.default.removeItem(atPath: cartella) }
        var v = Valori(origine: .riga)
        for (k, x) in opzioni { _ = v.imposta(k, x) }
        let r = try RichiestaStoria(v)
        let a = try r.eventi(registro), b = try r.eventi(memoria)
        #expect(!a.isEmpty)
        #expect(a == b)
    }

    @Test(arguments: [(nil, nil), ("2023-06-30", nil), (nil, Int64(120)), ("2022-12-31", Int64(200))] as [(String?, Int64?)])
    func stessiRapporti(_ al: String?, _ fino: Int64?) throws {
        let (registro, memoria, cartella) = try Self.gemelli()
        defer { try? FileManager.default.removeItem(atPath: cartella) }
        let data = al.map { DataContabile($0) }
        let a = try Vista.stato(registro, al: data, fino: fino, impegni: true) { _ in }
        let b = try Vista.stato(memoria, al: data, fino: fino, impegni: true) { _ in }
        for per in Raggruppamento.allCases { #expect(a.saldi(per: per, filtri: Filtri()) == b.saldi(per: per, filtri: Filtri()), "\(per)") }
        #expect(a.residui(filtri: Filtri()) == b.residui(filtri: Filtri()))
        #expect(a.prospetto(filtri: Filtri()) == b.prospetto(filtri: Filtri()))
    }

    /// The report use case: the same tables from both stores; a bad `per` refused before any work, an unknown
    /// fonte refused against the state.
    @Test func rapportoUnico() throws {
        let (registro, memoria, cartella) = try Self.gemelli()
        defer { try? FileManager.default.removeItem(atPath: cartella) }
        for tipo in TipoRapporto.allCases {
            var v = Valori(origine: .riga)
            _ = v.imposta("al", "2023-06-30")
            _ = v.imposta("fonte", "PDZ-2022-2024")
            let r = try RichiestaRapporto(tipo, v)
            let a = try r.tabelle(try r.stato(registro)), b = try r.tabelle(try r.stato(memoria))
            #expect(!a.isEmpty && a == b, "\(tipo)")
        }
        var per = Valori(origine: .riga)
        _ = per.imposta("per", "mese")
        #expect(throws: ErroreValore.self) { try RichiestaRapporto(.saldi, per) }
        var ignota = Valori(origine: .riga)
        _ = ignota.imposta("fonte", "NESSUNA")
        let r = try RichiestaRapporto(.prospetto, ignota)
        #expect(throws: Rifiuto.self) { try r.tabelle(try r.stato(memoria)) }
    }

    @Test func stessaRicerca() throws {
        let (registro, memoria, cartella) = try Self.gemelli()
        defer { try? FileManager.default.removeItem(atPath: cartella) }
        for testo in [nil, "coop", "2023"] {
            for ordine in RicercaImpegni.Ordine.allCases {
                var r = RicercaImpegni(testo: testo)
                r.ordine = ordine
                #expect(try registro.cerca(r).impegni.map(\.numero) == memoria.cerca(r).impegni.map(\.numero))
            }
        }
    }

    /// The use case's refusals come from the use case, whatever the store: checked on the twin alone.
    @Test func rifiutiDellaStoria() throws {
        let memoria = DepositoInMemoria()
        _ = try memoria.applica(try Self.passi(), prova: false)
        var due = Valori(origine: .riga)
        _ = due.imposta("fonte", "PAIS")
        _ = due.imposta("servizio", "A2")
        #expect(throws: ErroreValore.self) { try RichiestaStoria(due) }
        var ignota = Valori(origine: .riga)
        _ = ignota.imposta("fonte", "NESSUNA")
        #expect(throws: Rifiuto.self) { try RichiestaStoria(ignota).eventi(memoria) }
        var oltre = Valori(origine: .riga)
        _ = oltre.imposta("fino-a", "999999")
        #expect(throws: ErroreValore.self) { try RichiestaStoria(oltre).eventi(memoria) }
    }

    /// `prova` writes nothing, on the twin as on the engines.
    @Test func provaNonScrive() throws {
        let memoria = DepositoInMemoria()
        let passi = try Self.passi()
        _ = try memoria.applica(Array(passi.prefix(40)), prova: false)
        let prima = memoria.eventi
        let esiti = try memoria.applica(Array(passi[40..<60]), prova: true)
        #expect(!esiti.flatMap(\.eventi).isEmpty)
        #expect(memoria.eventi == prima)
    }
}
