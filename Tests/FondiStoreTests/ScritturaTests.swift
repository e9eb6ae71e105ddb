// Goal: the projection write-back never upserts (issue 8, defect 8): an entity the transaction created is
// INSERTed, so SQLite itself refuses a duplicate key; one it loaded is UPDATEd and must change one row.
@testable import Fondi
@testable import FondiStore
import FondiTesting
import Testing

struct ScritturaTests {
    @Test func unaNuovaEntitaGiaPresenteERifiutataDaSQLite() throws {
        let t = try RegistroTemporaneo()
        try t.esegui(.fonteRegistra(codice: "F", tipo: "T", annualita: 2023, importo: .euro(10), vincolata: true, descrizione: nil), "2023-01-02")
        var s = Stato(fonti: [Fonte(codice: "F", tipo: "T", annualita: 2023, vincolata: true, descrizione: nil, atto: "Atto", assegnato: 99, vincolato: 0)])
        s.modificati.insert(.fonte("F"))
        // Created by "this transaction" (not among the loaded ones) but already in the table: refused.
        #expect(throws: ErroreArchivio.self) { try t.registro.scrivi(s, esistenti: []) }
        #expect(try t.registro.fonte("F")?.assegnato == 1_000)
    }

    @Test func unAggiornamentoDeveCambiareUnaRiga() throws {
        let t = try RegistroTemporaneo()
        var s = Stato(fonti: [Fonte(codice: "G", tipo: "T", annualita: 2023, vincolata: true, descrizione: nil, atto: "Atto", assegnato: 5, vincolato: 0)])
        s.modificati.insert(.fonte("G"))
        // "Loaded" but missing from the table: an UPDATE that changes no row is an error, never an insert.
        #expect(throws: ErroreArchivio.self) { try t.registro.scrivi(s, esistenti: [.fonte("G")]) }
        #expect(try t.registro.fonte("G") == nil)
    }
}
