import Fondi
import Foundation
import FondiStore
import PostgresNIO

/// An Ambito's ledger on PostgreSQL: one schema per Ambito in a shared database (ADR 0019, 0020). The same
/// tables as SQLite's `Schema` at its current version, in PostgreSQL's types (bigint, bytea, text with
/// the "C" collation so every ORDER BY sorts as SQLite's byte order), and the database's own guards:
/// - events and the users' log are append-only by triggers (UPDATE, DELETE, TRUNCATE refused, even to the
///   owner);
/// - a statement-level trigger checks that each insert of events continues the ledger without a gap: seq is
///   gapless whoever writes;
/// - writers take turns on the one-row `testa`, taken `FOR UPDATE`; the application role's only privilege on
///   it is UPDATE of its one column, which a CHECK keeps constant (what `FOR UPDATE` needs).
enum SchemaPostgres {
    /// The SQLite schema version these tables correspond to (kept in `meta`): a new migration of `Schema`
    /// needs its PostgreSQL counterpart before this follows it.
    static let versione = Schema.versione

    /// Every foreign key is checked at commit (`DEFERRABLE INITIALLY DEFERRED`): the connection sends a
    /// transaction's writes in batches whose rows may land in another order than written (ADR 0020).
    static func ddl(_ s: String) -> [String] { ddlDerivato(tabelle(s)) }

    static func ddlDerivato(_ tabelle: [String]) -> [String] {
        tabelle.map { sql in
            var out = "", resto = Substring(sql)
            while let r = resto.range(of: "REFERENCES ") {
                out += resto[..<r.upperBound]
                resto = resto[r.upperBound...]
                guard let chiusa = resto.firstIndex(of: ")") else { break }
                out += resto[...chiusa] + " DEFERRABLE INITIALLY DEFERRED"
                resto = resto[resto.index(after: chiusa)...]
            }
            return out + resto
        }
    }

    static func tabelle(_ s: String) -> [String] {
        tabelleRegistro(s) + tabelleProiezioni(s) + tabelleChiaviEIstantanee(s) + tabelleUtentiEIndici(s)
    }

    /// The DDL of the ledger itself: meta, the event log, its lock and the triggers that keep it append-only and gapless.
    static func tabelleRegistro(_ s: String) -> [String] {
        let t = "text COLLATE \"C\""
        return [
            "CREATE SCHEMA \(s)",
            "CREATE TABLE \(s).meta (chiave \(t) PRIMARY KEY, valore \(t) NOT NULL)",
            """
            CREATE TABLE \(s).evento (
                seq bigint PRIMARY KEY CHECK (seq >= 1),
                tipo \(t) NOT NULL,
                versione bigint NOT NULL CHECK (versione >= 1),
                data \(t) NOT NULL CHECK (length(data) = 10),
                registrato_il \(t) NOT NULL,
                utente \(t) NOT NULL,
                chiave \(t),
                atto \(t),
                payload \(t) NOT NULL,
                hash bytea NOT NULL CHECK (length(hash) = 32)
            )
            """,
            // The lock every writer of this ledger takes FOR UPDATE (one row, never changed): writers take turns.
            "CREATE TABLE \(s).testa (unica boolean PRIMARY KEY DEFAULT true CHECK (unica))",
            "INSERT INTO \(s).testa DEFAULT VALUES",
            """
            CREATE FUNCTION \(s).solo_aggiunte() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '%: il registro è append-only, nessuna modifica ammessa', TG_TABLE_NAME; END $$
            """,
            // Each insert of events must continue the ledger without a gap: the event before the first new one
            // exists (or it is seq 1), and no event at or after it but the new ones. Two index lookups per
            // statement, whatever the ledger's size; with the primary key, seq is gapless whoever writes.
            """
            CREATE FUNCTION \(s).seq_contiguo() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = \(s), pg_temp AS $$
            DECLARE primo bigint; ultimo bigint; quanti bigint;
            BEGIN
                SELECT min(seq), max(seq), count(*) INTO primo, ultimo, quanti FROM nuovi;
                IF quanti = 0 THEN RETURN NULL; END IF;
                IF ultimo - primo + 1 <> quanti
                   OR (primo > 1 AND NOT EXISTS (SELECT 1 FROM evento WHERE seq = primo - 1))
                   OR (SELECT count(*) FROM evento WHERE seq >= primo) <> quanti THEN
                    RAISE EXCEPTION 'evento: seq non contiguo (inseriti da % a %)', primo, ultimo;
                END IF;
                RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER evento_solo_aggiunte BEFORE UPDATE OR DELETE ON \(s).evento FOR EACH ROW EXECUTE FUNCTION \(s).solo_aggiunte()",
            "CREATE TRIGGER evento_niente_truncate BEFORE TRUNCATE ON \(s).evento FOR EACH STATEMENT EXECUTE FUNCTION \(s).solo_aggiunte()",
            "CREATE TRIGGER evento_seq_contiguo AFTER INSERT ON \(s).evento REFERENCING NEW TABLE AS nuovi FOR EACH STATEMENT EXECUTE FUNCTION \(s).seq_contiguo()",
        ]
    }

    /// The projection tables, each derived from its entity's description (`EntitaDescritta.creaTabella`),
    /// then the impegno's `da_pagare` (a generated column) and the partial index `residui` reads.
    static func tabelleProiezioni(_ s: String) -> [String] {
        TabellaStato.allCases.map { $0.tipo.creaTabella(.postgres(schema: s)) } + [
            """
            ALTER TABLE \(s).impegno ADD COLUMN da_pagare_centesimi bigint GENERATED ALWAYS AS
                (assunto_centesimi - ridotto_centesimi - eliminato_centesimi - reimputato_centesimi - pagato_centesimi) STORED
            """,
            "CREATE INDEX impegno_da_pagare ON \(s).impegno (esercizio) WHERE da_pagare_centesimi > 0",
        ] + indiciScadenze(s)
    }

    static func indiciScadenze(_ s: String) -> [String] {
        ["CREATE INDEX scadenza_fonte ON \(s).scadenza (fonte)", "CREATE INDEX rendicontazione_destinatario ON \(s).rendicontazione (destinatario, al)"]
    }

    /// What brings a schema of an earlier version to the next one, by the version it reaches (run by the
    /// owner through `fondi init`, in one transaction). 7: DOMAIN §10.
    static func aggiornamenti(_ s: String) -> [Int: [String]] {
        [7: ddlDerivato([Scadenza.creaTabella(.postgres(schema: s)), Rendicontazione.creaTabella(.postgres(schema: s))]) + indiciScadenze(s)
            + ["DELETE FROM \(s).istantanea WHERE versione_codifica < 5"]]
    }

    /// The tables an upgrade adds, for the application role's grants.
    static let tabelleAggiunte: [Int: [String]] = [7: ["scadenza", "rendicontazione"]]

    /// Idempotency keys and snapshots: the store's own tables, not entities.
    static func tabelleChiaviEIstantanee(_ s: String) -> [String] {
        let t = "text COLLATE \"C\""
        return [
            """
            CREATE TABLE \(s).chiave_idempotenza (
                chiave \(t) PRIMARY KEY,
                contenuto \(t) NOT NULL,
                primo_seq bigint NOT NULL,
                ultimo_seq bigint NOT NULL CHECK (ultimo_seq >= primo_seq)
            )
            """,
            """
            CREATE TABLE \(s).istantanea (
                seq bigint PRIMARY KEY REFERENCES \(s).evento (seq),
                hash_evento bytea NOT NULL CHECK (length(hash_evento) = 32),
                creata_il \(t) NOT NULL,
                versione_codifica bigint NOT NULL,
                digest bytea NOT NULL CHECK (length(digest) = 32),
                dati bytea NOT NULL
            )
            """,
        ]
    }

    /// The DDL of users, sessions and tokens (never in the chain), then the indexes of the date views.
    static func tabelleUtentiEIndici(_ s: String) -> [String] {
        let t = "text COLLATE \"C\""
        return [
            """
            CREATE TABLE \(s).utente (
                nome \(t) PRIMARY KEY,
                ruolo \(t) NOT NULL CHECK (ruolo IN ('consultazione', 'operatore', 'responsabile')),
                password_bcrypt \(t) NOT NULL,
                attivo bigint NOT NULL CHECK (attivo IN (0, 1)),
                creato_il \(t) NOT NULL
            )
            """,
            """
            CREATE TABLE \(s).utente_registro (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                nome \(t) NOT NULL,
                azione \(t) NOT NULL,
                dettaglio \(t),
                da \(t) NOT NULL,
                il \(t) NOT NULL
            )
            """,
            "CREATE TRIGGER utente_registro_solo_aggiunte BEFORE UPDATE OR DELETE ON \(s).utente_registro FOR EACH ROW EXECUTE FUNCTION \(s).solo_aggiunte()",
            "CREATE TRIGGER utente_registro_niente_truncate BEFORE TRUNCATE ON \(s).utente_registro FOR EACH STATEMENT EXECUTE FUNCTION \(s).solo_aggiunte()",
            """
            CREATE TABLE \(s).token (
                hash bytea PRIMARY KEY CHECK (length(hash) = 32),
                utente \(t) NOT NULL REFERENCES \(s).utente (nome),
                creato_il \(t) NOT NULL,
                revocato_il \(t)
            )
            """,
            """
            CREATE TABLE \(s).sessione (
                hash bytea PRIMARY KEY CHECK (length(hash) = 32),
                utente \(t) NOT NULL REFERENCES \(s).utente (nome),
                csrf \(t) NOT NULL,
                creata_il \(t) NOT NULL,
                ultimo_uso bigint NOT NULL
            )
            """,
            "CREATE TABLE \(s).accesso_fallito (nome \(t) PRIMARY KEY, falliti bigint NOT NULL, bloccato_fino bigint NOT NULL)",
            "CREATE TABLE \(s).frontiera_data (seq bigint PRIMARY KEY REFERENCES \(s).evento (seq), data bigint NOT NULL)",
            // SQLite keeps these intervals in an R*Tree; a B-tree on the block and a range scan do here.
            "CREATE TABLE \(s).evento_retrodatato (blocco bigint PRIMARY KEY, da bigint NOT NULL, a bigint NOT NULL)",
            "CREATE TABLE \(s).evento_impegno (impegno \(t) NOT NULL, seq bigint NOT NULL, PRIMARY KEY (impegno, seq))",
            "CREATE TABLE \(s).andamento_mensile (mese bigint PRIMARY KEY, impegnato bigint NOT NULL, pagato bigint NOT NULL)",
        ]
    }

    /// What the application role may do: read everything; append events and the users' log; write the
    /// projections, keys, snapshots, users and sessions; lock the head without being able to move it.
    static func permessi(_ s: String, applicazione a: String) -> [String] {
        let proiezioni = ["fonte", "servizio", "esercizio", "linea", "impegno", "liquidazione", "mandato", "eliminazione",
                          "chiave_idempotenza", "istantanea", "prenotazione", "accertamento", "riscossione", "riduzione_accertamento", "scadenza", "rendicontazione",
                          "utente", "token", "sessione", "accesso_fallito", "frontiera_data", "evento_retrodatato", "evento_impegno",
                          "andamento_mensile"]
        return ["GRANT USAGE ON SCHEMA \(s) TO \(a)",
                "GRANT SELECT ON ALL TABLES IN SCHEMA \(s) TO \(a)",
                "GRANT INSERT ON \(s).evento, \(s).utente_registro TO \(a)",
                "GRANT USAGE ON ALL SEQUENCES IN SCHEMA \(s) TO \(a)",
                "GRANT UPDATE (unica) ON \(s).testa TO \(a)",
                "GRANT INSERT, UPDATE, DELETE ON " + proiezioni.map { "\(s).\($0)" }.joined(separator: ", ") + " TO \(a)"]
    }
}

extension Registro {
    /// Opens an Ambito's ledger on PostgreSQL. Refuses an Ambito without a ledger in that database.
    public static func apri(postgres indirizzo: IndirizzoPostgres, modo: Modo = .scrittura,
                            orologio: @escaping @Sendable () -> String = Orologio.adesso) throws -> Registro {
        try apri(postgres: indirizzo, su: try ConnessionePostgres(indirizzo), modo: modo, orologio: orologio)
    }

    /// `apri(postgres:)` on a connection already open to the same server and database, whose session already
    /// points at `indirizzo`'s schema (`ConnessionePostgres.usaSchema`): the regional view reads every Ambito
    /// on one connection instead of paying a connection (TLS, a server backend) for each.
    static func apri(postgres indirizzo: IndirizzoPostgres, su c: ConnessionePostgres, modo: Modo,
                     orologio: @escaping @Sendable () -> String) throws -> Registro {
        // Whether the schema exists and may be used, in one round trip.
        let (esiste, accesso) = try c.istruzione("""
            SELECT count(n.oid), coalesce(bool_or(has_schema_privilege(n.oid, 'USAGE')), false) FROM pg_namespace n WHERE n.nspname = ?
            """).righe([.testo(indirizzo.schema)]) { s in (s.intero(0), s.intero(1)) }.first ?? (0, 0)
        guard esiste > 0 else { throw ErroreApertura.ambitoAssente(indirizzo.ambito, indirizzo.descrizione) }
        guard accesso == 1 else {
            throw ErroreArchivio.motore(codice: ErroreArchivio.codiceErrore,
                                        messaggio: "l'utente PostgreSQL '\(indirizzo.utente)' non ha i permessi per leggere il registro dell'ambito \(indirizzo.ambito): ogni ambito è leggibile solo dal suo ruolo applicativo e da quello della Regione",
                                        dettaglio: "schema")
        }
        // The schema's version, and a read-only session for a read-only opening, in one round trip.
        let versione = try c.istruzione("SELECT valore, set_config('default_transaction_read_only', ?, false) FROM meta WHERE chiave = 'versione_schema'")
            .righe([.testo(modo == .lettura ? "on" : "off")]) { s in s.testo(0) }.first
        guard let versione, let v = Int(versione) else { throw ErroreApertura.nonRegistro(indirizzo.descrizione) }
        guard v <= SchemaPostgres.versione else { throw ErroreApertura.versioneFutura(indirizzo.descrizione, v) }
        guard v == SchemaPostgres.versione else { throw ErroreApertura.schemaPrecedente(indirizzo.descrizione, v) }
        return Registro(connessione: c, percorso: indirizzo.descrizione, orologio: orologio)
    }

    /// `fondi init` on PostgreSQL: creates the Ambito's schema and tables, owned by the connecting role, and
    /// grants the application role (`?applicazione=`, by default `fondi_app` when it exists) what it needs.
    /// Idempotent: an Ambito that already has its ledger is opened unchanged.
    /// Brings an existing Ambito's schema to this program's version (`fondi init` by the schema's owner): the
    /// DDL of every later version, the version in `meta`, and the grants of the new tables, all or nothing.
    static func aggiorna(_ c: ConnessionePostgres, _ indirizzo: IndirizzoPostgres) throws {
        let testo = try c.istruzione("SELECT valore FROM \"\(indirizzo.schema)\".meta WHERE chiave = 'versione_schema'").righe { s in s.testo(0) }.first
        guard let testo, let v = Int(testo), v < SchemaPostgres.versione else { return }
        let s = "\"\(indirizzo.schema)\""
        try c.iniziaAmministrazione()
        do {
            for versione in (v + 1)...SchemaPostgres.versione {
                for sql in SchemaPostgres.aggiornamenti(s)[versione] ?? [] { try c.esegui(sql) }
                for ruolo in [indirizzo.applicazione ?? "fondi_app", indirizzo.regione ?? "fondi_regione"] where ruolo != indirizzo.utente {
                    let esiste = try c.istruzione("SELECT count(*) FROM pg_roles WHERE rolname = ?").righe([.testo(ruolo)]) { s in s.intero(0) }.first ?? 0
                    guard esiste > 0 else { continue }
                    let tabelle = (SchemaPostgres.tabelleAggiunte[versione] ?? []).map { "\(s).\($0)" }.joined(separator: ", ")
                    let diritti = ruolo == (indirizzo.applicazione ?? "fondi_app") ? "SELECT, INSERT, UPDATE, DELETE" : "SELECT"
                    if !tabelle.isEmpty { try c.esegui("GRANT \(diritti) ON \(tabelle) TO \"\(ruolo)\"") }
                }
            }
            try c.istruzione("UPDATE \(s).meta SET valore = ? WHERE chiave = 'versione_schema'").esegui([.testo(String(SchemaPostgres.versione))])
            try c.conferma()
        } catch {
            c.annulla()
            throw error
        }
    }

    public static func inizializza(postgres indirizzo: IndirizzoPostgres,
                                   orologio: @escaping @Sendable () -> String = Orologio.adesso) throws -> (registro: Registro, creato: Bool) {
        let c = try ConnessionePostgres(indirizzo)
        let esiste = try c.istruzione("SELECT count(*) FROM pg_namespace WHERE nspname = ?").righe([.testo(indirizzo.schema)]) { s in s.intero(0) }.first ?? 0
        if esiste > 0 {
            try aggiorna(c, indirizzo)
            return (try apri(postgres: indirizzo, orologio: orologio), false)
        }
        let s = "\"\(indirizzo.schema)\""
        let applicazione = indirizzo.applicazione ?? "fondi_app"
        let ruoloEsiste = try c.istruzione("SELECT count(*) FROM pg_roles WHERE rolname = ?").righe([.testo(applicazione)]) { s in s.intero(0) }.first ?? 0
        if indirizzo.applicazione != nil, ruoloEsiste == 0 {
            throw ErroreArchivio.motore(codice: ErroreArchivio.codiceErrore,
                                        messaggio: "il ruolo applicativo '\(applicazione)' non esiste sul server: crealo prima (CREATE ROLE \(applicazione) LOGIN)",
                                        dettaglio: "ruolo")
        }
        try c.iniziaAmministrazione() // DDL is transactional on PostgreSQL: all of it or none
        do {
            for sql in SchemaPostgres.ddl(s) { try c.esegui(sql) }
            try c.istruzione("INSERT INTO meta (chiave, valore) VALUES ('versione_schema', ?), ('ambito', ?)")
                .esegui([.testo(String(SchemaPostgres.versione)), .testo(indirizzo.ambito)])
            if ruoloEsiste > 0, applicazione != indirizzo.utente {
                for sql in SchemaPostgres.permessi(s, applicazione: "\"\(applicazione)\"") { try c.esegui(sql) }
            }
            // The Region reads every Ambito (ADR 0021): SELECT only, never a write.
            let regione = indirizzo.regione ?? "fondi_regione"
            let regioneEsiste = try c.istruzione("SELECT count(*) FROM pg_roles WHERE rolname = ?").righe([.testo(regione)]) { s in s.intero(0) }.first ?? 0
            if regioneEsiste > 0, regione != applicazione, regione != indirizzo.utente {
                try c.esegui("GRANT USAGE ON SCHEMA \(s) TO \"\(regione)\"")
                try c.esegui("GRANT SELECT ON ALL TABLES IN SCHEMA \(s) TO \"\(regione)\"")
            }
            try c.conferma()
        } catch {
            c.annulla()
            throw error
        }
        return (Registro(connessione: c, percorso: indirizzo.descrizione, orologio: orologio), true)
    }
}

/// Opens a ledger from what the user wrote after `--db`: a PostgreSQL address or a SQLite file.
public enum Registri {
    public static func apri(_ db: String, modo: Registro.Modo = .scrittura,
                            orologio: @escaping @Sendable () -> String = Orologio.adesso) throws -> Registro {
        if IndirizzoPostgres.riconosce(db) {
            return try Registro.apri(postgres: try IndirizzoPostgres.perAprire(db), modo: modo, orologio: orologio)
        }
        return try Registro.apri(percorso: db, modo: modo, orologio: orologio)
    }

    public static func inizializza(_ db: String, orologio: @escaping @Sendable () -> String = Orologio.adesso) throws -> (registro: Registro, creato: Bool) {
        if IndirizzoPostgres.riconosce(db) {
            return try Registro.inizializza(postgres: try IndirizzoPostgres.perAprire(db), orologio: orologio)
        }
        return try Registro.inizializza(percorso: db, orologio: orologio)
    }
}

extension Motori {
    /// SQLite files and PostgreSQL addresses: what the `fondi` executable links (ADR 0022).
    public static let sqliteEPostgres = Motori(
        apri: { try Registri.apri($0, modo: $1) },
        connessioneDaTenere: { IndirizzoPostgres.riconosce($0) },
        multiAmbito: { IndirizzoPostgres.riconosce($0) },
        prospettoRegionale: { try Registri.prospettoRegionale($0) })
}
