// Goal (issue 22): no value ever travels inside SQL text on PostgreSQL. Every statement leaves Fondi through
// one function (`ConnessionePostgres.invia`) that takes bindings; these tests prove it twice: the sources
// build a PostgresQuery in that one place only, and a workload whose every text carries a marker sends no
// statement whose text contains the marker (writes one at a time and in batches, reads, cursors, sign-ins).
import Fondi
@testable import FondiPostgres
@testable import FondiStore
import FondiTesting
import Foundation
import Synchronization
import Testing

struct SorgentiSenzaValoriTests {
    /// The repository's Sources directory, from this file's path.
    static let sorgenti = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    @Test func unSoloPuntoDaCuiEsceLSQL() throws {
        var trovati: [String] = []
        let elenco = FileManager.default.enumerator(at: Self.sorgenti, includingPropertiesForKeys: nil)
        while let f = elenco?.nextObject() as? URL {
            guard f.pathExtension == "swift" else { continue }
            let righe = try String(contentsOf: f, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (k, r) in righe.enumerated() where r.contains("unsafeSQL") || r.contains("copyFrom(") || r.contains("simpleQuery(") {
                trovati.append("\(f.lastPathComponent):\(k + 1)")
            }
        }
        // `invia` (every statement) and `copia` (COPY's data stream, which carries no SQL built from values).
        #expect(trovati.count == 2 && trovati.allSatisfy { $0.hasPrefix("ConnessionePostgres.swift:") }, "\(trovati)")
    }
}

@Suite(.enabled(if: ServerPostgres.disponibile, "PostgreSQL non disponibile: imposta FONDI_PG_PROPRIETARIO e FONDI_PG_APP (Scripts/test lo fa)"))
struct ValoriLegatiTests {
    @Test func nessunValoreNelTestoDelleIstruzioni() throws {
        let segno = "Zq" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10)
        let visti = Mutex<(istruzioni: Int, conSegno: [String])>((0, []))
        ConnessionePostgres.osservatore.withLock { $0 = { sql in visti.withLock { v in
            v.istruzioni += 1
            if sql.contains(segno) { v.conSegno.append(sql) }
        } } }
        defer { ConnessionePostgres.osservatore.withLock { $0 = nil } }
        let (_, app, _) = try ServerPostgres.nuovoAmbito()
        let r = try Registri.apri(app)
        let t = { (s: String) in Testo(validando: "\(s) \(segno) l'ufficio\\") }
        let contesto = Contesto(data: DataContabile("2023-03-10"), atto: t("Det."), utente: "anna", chiave: nil)
        let linea = LineaChiave(fonte: "F", servizio: "S", esercizio: 2023)
        _ = try r.registra([.fonteRegistra(codice: "F", tipo: t("FNA")!, annualita: 2023, importo: .euro(100_000), vincolata: true, descrizione: t("fondo")),
                            .servizioRegistra(codice: "S", descrizione: t("SAD")!), .programma(linea: linea, importo: .euro(50_000))]
            .map { Passo(comando: $0, contesto: contesto) })
        // One command at a time, then a batch of many (rows sent together as arrays).
        _ = try r.registra([Passo(comando: .impegna(numero: NumeroImpegno(Codice(validando: "2023/1")!), linea: linea, importo: .euro(10), creditore: t("ditta")!,
                                                    oggetto: t("oggetto")!, cig: nil, cup: nil), contesto: contesto)])
        var passi: [Passo] = []
        for k in 2...300 {
            let n = NumeroImpegno(Codice(validando: "2023/\(k)")!)
            passi.append(Passo(comando: .impegna(numero: n, linea: linea, importo: .euro(10), creditore: t("ditta \(k)")!, oggetto: t("oggetto")!, cig: nil, cup: nil),
                               contesto: contesto))
            passi.append(Passo(comando: .liquida(numero: NumeroLiquidazione(Codice(validando: "L\(k)")!), impegno: n, importo: .euro(4), documento: t("fattura")),
                               contesto: contesto))
        }
        _ = try r.registra(passi)
        #expect(try r.impegno("2023/300")?.creditore == t("ditta 300")!.testo)
        // Reads: a streamed replay (a cursor), a verification, a sign-in refused under a marked name.
        var eventi = 0
        try r.leggiEventi { _ in eventi += 1 }
        #expect(eventi == 3 + 1 + 2 * 299)
        #expect(try r.verifica().differenze.isEmpty)
        #expect(try r.accedi(nome: "x\(segno)'", password: "una frase lunga almeno dodici") == .rifiutato)
        let (n, conSegno) = visti.withLock { ($0.istruzioni, $0.conSegno) }
        #expect(n > 10)
        #expect(conSegno.isEmpty, "\(conSegno.prefix(3))")
    }
}
