// Goal: the projection write-back never upserts (issue 8, defect 8): an entity the transaction created is
// INSERTed, so SQLite itself refuses a duplicate key; one it loaded is UPDATEd and must change one row.
@testable import Fondi
@testable import FondiStore
import FondiTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

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

struct MigrazioneTests {
    /// DOMAIN §7: an older ledger is migrated in place by the first command that opens it writable, a read
    /// included; nothing stored changes.
    @Test(.enabled(if: !MotoreProva.postgres, "le migrazioni di Schema: solo SQLite")) func unRegistroPrecedenteVieneMigratoAncheDaUnaLettura() throws {
        let t = try RegistroTemporaneo()
        let percorso = t.cartella + "/vecchio.sqlite"
        let c = try ConnessioneSQLite(percorso: percorso, crea: true)
        try c.esegui("PRAGMA journal_mode = WAL")
        for sql in Schema.migrazioni.dropLast() { try c.esegui(sql) }
        try c.esegui("PRAGMA user_version = \(Schema.versione - 1)")
        let letto = try Registro.apri(percorso: percorso, modo: .lettura)
        #expect(try Registro.versioneSchema(letto.connessione) == Schema.versione)
        #expect(try letto.numeroEventi() == 0)
        unlink(percorso + "-wal"); unlink(percorso + "-shm"); unlink(percorso)
    }
}
