import CSQLite
import Fondi
@testable import FondiPostgres
import FondiStore
import FondiTesting
import Testing

/// Each entity is described once (`EntitaDescritta`, issue 19): the store derives its SQL, its loaders, its
/// write-back, its fingerprint scan and PostgreSQL's DDL from the description. SQLite's tables come from
/// frozen migrations: these tests hold the two together, so a description that drifts from the tables that
/// ledgers already have fails here, not in a user's file.
@Suite struct DescrizioneTests {
    /// A column as the engine reports it: name, kind (`testo` or `intero`), whether it may be NULL.
    struct Colonna: Equatable, CustomStringConvertible {
        let nome: String, intero: Bool, facoltativa: Bool
        var description: String { "\(nome) \(intero ? "intero" : "testo")\(facoltativa ? "" : " NOT NULL")" }
    }

    static func attese<E: EntitaDescritta>(_: E.Type) -> [Colonna] {
        E.campi.enumerated().map { i, c in Colonna(nome: c.nome, intero: c.tipo == .intero, facoltativa: i >= E.campiChiave && c.tipo.facoltativo) }
    }

    /// PRAGMA table_info of a SQLite file: name, declared type, notnull, pk (key columns count as NOT NULL).
    static func colonneSQLite(_ db: OpaquePointer?, _ tabella: String) -> [Colonna] {
        var s: OpaquePointer?
        guard sqlite3_prepare_v2(db, "PRAGMA table_info(\(tabella))", -1, &s, nil) == SQLITE_OK else { return [] }
        defer { sqlite3_finalize(s) }
        var out: [Colonna] = []
        while sqlite3_step(s) == SQLITE_ROW {
            let nome = String(cString: sqlite3_column_text(s, 1)), tipo = String(cString: sqlite3_column_text(s, 2))
            let obbligatoria = sqlite3_column_int(s, 3) != 0 || sqlite3_column_int(s, 5) != 0
            out.append(Colonna(nome: nome, intero: tipo == "INTEGER", facoltativa: !obbligatoria))
        }
        return out
    }

    @Test(.enabled(if: !MotoreProva.postgres)) func migrazioniSQLiteUgualiAlleDescrizioni() throws {
        let t = try RegistroTemporaneo()
        var db: OpaquePointer?, nuovo: OpaquePointer?
        #expect(sqlite3_open(t.percorso, &db) == SQLITE_OK)
        #expect(sqlite3_open(":memory:", &nuovo) == SQLITE_OK)
        defer { sqlite3_close(db); sqlite3_close(nuovo) }
        func controlla<E: EntitaDescritta>(_ tipo: E.Type) {
            let migrate = Self.colonneSQLite(db, E.tabella.nome)
            #expect(migrate == Self.attese(tipo), "\(E.tabella.nome): migrazioni \(migrate), descrizione \(Self.attese(tipo))")
            // The DDL derived for SQLite (what a new table's migration uses) makes the same columns.
            #expect(sqlite3_exec(nuovo, E.creaTabella(.sqlite), nil, nil, nil) == SQLITE_OK, "\(E.creaTabella(.sqlite))")
            #expect(Self.colonneSQLite(nuovo, E.tabella.nome) == migrate)
        }
        for tabella in TabellaStato.allCases { controlla(tabella.tipo) }
    }

    @Test(.enabled(if: MotoreProva.postgres)) func tabellePostgresUgualiAlleDescrizioni() throws {
        let t = try RegistroTemporaneo()
        let c = try ConnessionePostgres(try IndirizzoPostgres(t.percorso))
        func controlla<E: EntitaDescritta>(_ tipo: E.Type) throws {
            let sql = """
                SELECT column_name, data_type, is_nullable FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position
                """
            let trovate = try c.istruzione(sql).righe([.testo(E.tabella.nome)]) { r in
                Colonna(nome: r.testo(0), intero: r.testo(1) == "bigint", facoltativa: r.testo(2) == "YES")
            }
            #expect(trovate == Self.attese(tipo), "\(E.tabella.nome): \(trovate)")
        }
        for tabella in TabellaStato.allCases { try controlla(tabella.tipo) }
    }

    /// Every entity of random ledgers reads back from its snapshot bytes as it was written (the codec is
    /// derived from the same description as the tables).
    @Test func codificaDerivataFaAndataERitorno() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        let stato = try t.registro.statoMemorizzato()
        #expect(Stato(codificato: stato.codificato) == stato)
        #expect(!stato.impegni.isEmpty && !stato.mandati.isEmpty)
    }
}
