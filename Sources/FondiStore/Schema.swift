import Fondi

/// The store's schema, as frozen migrations: a shipped migration is history and never changes; a new
/// shape is a new migration appended to the list (ADR 0002). Amount columns carry their unit in the name.
package enum Schema {
    /// `PRAGMA user_version` after all migrations.
    package static var versione: Int { migrazioni.count }

    static let migrazioni: [String] = [
        // 1: events, projections, idempotency keys.
        """
        CREATE TABLE meta (
            chiave TEXT PRIMARY KEY,
            valore TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;

        -- The ledger. seq is global and gapless; rows can be appended, never changed or removed.
        CREATE TABLE evento (
            seq INTEGER PRIMARY KEY CHECK (seq >= 1),
            tipo TEXT NOT NULL,
            versione INTEGER NOT NULL CHECK (versione >= 1),
            data TEXT NOT NULL CHECK (length(data) = 10),
            registrato_il TEXT NOT NULL,
            utente TEXT NOT NULL,
            chiave TEXT,
            atto TEXT,
            payload TEXT NOT NULL CHECK (json_valid(payload)),
            hash BLOB NOT NULL CHECK (length(hash) = 32)
        ) STRICT;
        CREATE TRIGGER evento_append_only_update BEFORE UPDATE ON evento
            BEGIN SELECT RAISE(ABORT, 'evento: il registro è append-only, nessuna modifica ammessa'); END;
        CREATE TRIGGER evento_append_only_delete BEFORE DELETE ON evento
            BEGIN SELECT RAISE(ABORT, 'evento: il registro è append-only, nessuna cancellazione ammessa'); END;
        CREATE TRIGGER evento_seq_contiguo BEFORE INSERT ON evento
            WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM evento)
            BEGIN SELECT RAISE(ABORT, 'evento: seq non contiguo'); END;

        -- Projections: a cache of the events, updated in the same transaction as each append.
        CREATE TABLE fonte (
            codice TEXT PRIMARY KEY,
            tipo TEXT NOT NULL,
            annualita INTEGER NOT NULL,
            vincolata INTEGER NOT NULL CHECK (vincolata IN (0, 1)),
            descrizione TEXT,
            atto TEXT,
            assegnato_centesimi INTEGER NOT NULL CHECK (assegnato_centesimi BETWEEN 0 AND 10000000000000),
            vincolato_centesimi INTEGER NOT NULL CHECK (vincolato_centesimi BETWEEN 0 AND assegnato_centesimi)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE servizio (
            codice TEXT PRIMARY KEY,
            descrizione TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE esercizio (
            anno INTEGER PRIMARY KEY,
            chiuso_il TEXT
        ) STRICT;

        CREATE TABLE linea (
            fonte TEXT NOT NULL REFERENCES fonte (codice),
            servizio TEXT NOT NULL REFERENCES servizio (codice),
            esercizio INTEGER NOT NULL,
            programmato_centesimi INTEGER NOT NULL,
            impegnato_centesimi INTEGER NOT NULL,
            liquidato_centesimi INTEGER NOT NULL,
            pagato_centesimi INTEGER NOT NULL,
            PRIMARY KEY (fonte, servizio, esercizio),
            CHECK (programmato_centesimi >= impegnato_centesimi AND impegnato_centesimi >= liquidato_centesimi
                   AND liquidato_centesimi >= pagato_centesimi AND pagato_centesimi >= 0)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE impegno (
            numero TEXT PRIMARY KEY,
            fonte TEXT NOT NULL,
            servizio TEXT NOT NULL,
            esercizio INTEGER NOT NULL,
            data TEXT NOT NULL,
            creditore TEXT NOT NULL,
            oggetto TEXT NOT NULL,
            assunto_centesimi INTEGER NOT NULL CHECK (assunto_centesimi > 0),
            ridotto_centesimi INTEGER NOT NULL CHECK (ridotto_centesimi >= 0),
            eliminato_centesimi INTEGER NOT NULL CHECK (eliminato_centesimi >= 0),
            liquidato_centesimi INTEGER NOT NULL,
            pagato_centesimi INTEGER NOT NULL,
            CHECK (assunto_centesimi - ridotto_centesimi - eliminato_centesimi >= liquidato_centesimi
                   AND liquidato_centesimi >= pagato_centesimi AND pagato_centesimi >= 0),
            FOREIGN KEY (fonte, servizio, esercizio) REFERENCES linea (fonte, servizio, esercizio)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE liquidazione (
            numero TEXT PRIMARY KEY,
            impegno TEXT NOT NULL REFERENCES impegno (numero),
            data TEXT NOT NULL,
            importo_centesimi INTEGER NOT NULL CHECK (importo_centesimi > 0),
            annullato_centesimi INTEGER NOT NULL CHECK (annullato_centesimi >= 0),
            pagato_centesimi INTEGER NOT NULL CHECK (pagato_centesimi >= 0),
            CHECK (importo_centesimi - annullato_centesimi >= pagato_centesimi)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE mandato (
            numero TEXT PRIMARY KEY,
            liquidazione TEXT NOT NULL REFERENCES liquidazione (numero),
            data TEXT NOT NULL,
            importo_centesimi INTEGER NOT NULL CHECK (importo_centesimi > 0)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE eliminazione (
            seq INTEGER PRIMARY KEY REFERENCES evento (seq),
            impegno TEXT NOT NULL REFERENCES impegno (numero),
            data TEXT NOT NULL,
            importo_centesimi INTEGER NOT NULL CHECK (importo_centesimi > 0)
        ) STRICT;

        -- Idempotency keys (DOMAIN §4.10): what each key was used for and which events it appended.
        CREATE TABLE chiave_idempotenza (
            chiave TEXT PRIMARY KEY,
            contenuto TEXT NOT NULL,
            primo_seq INTEGER NOT NULL,
            ultimo_seq INTEGER NOT NULL CHECK (ultimo_seq >= primo_seq)
        ) STRICT, WITHOUT ROWID;
        """,
        // 2: snapshots, a cache of the full projection state at a seq (ADR 0008). Deletable at will.
        """
        CREATE TABLE istantanea (
            seq INTEGER PRIMARY KEY REFERENCES evento (seq),
            hash_evento BLOB NOT NULL CHECK (length(hash_evento) = 32),
            creata_il TEXT NOT NULL,
            versione_codifica INTEGER NOT NULL,
            digest BLOB NOT NULL CHECK (length(digest) = 32),
            dati BLOB NOT NULL
        ) STRICT;
        """,
        // 3: `residui` and closings read only impegni still to be paid; a partial index holds just those, so
        // they cost O(open impegni) instead of a scan of every impegno ever assumed (ADR 0002).
        // SQLite matches a partial index's WHERE only on simple terms, hence the generated column.
        """
        ALTER TABLE impegno ADD COLUMN da_pagare_centesimi INTEGER GENERATED ALWAYS AS
            (assunto_centesimi - ridotto_centesimi - eliminato_centesimi - pagato_centesimi) VIRTUAL;
        CREATE INDEX impegno_da_pagare ON impegno (esercizio) WHERE da_pagare_centesimi > 0;
        """,
        // 4: DOMAIN §9 (ADR 0013). New sums on fonte, linea and impegno (zero for every existing row: no
        // event of §9 existed before), the impegno's cig and cup filled from its event (a reimputed impegno
        // inherits them), da_pagare net of reimputazioni, and the tables of prenotazioni, accertamenti,
        // riscossioni and riduzioni of accertamenti. Snapshots of the previous encoding cannot be read by
        // this version: deleted (a cache, rebuilt by `snapshot crea`).
        """
        ALTER TABLE fonte ADD COLUMN accertato_centesimi INTEGER NOT NULL DEFAULT 0 CHECK (accertato_centesimi >= 0);
        ALTER TABLE fonte ADD COLUMN riscosso_centesimi INTEGER NOT NULL DEFAULT 0 CHECK (riscosso_centesimi >= 0);
        ALTER TABLE linea ADD COLUMN prenotato_centesimi INTEGER NOT NULL DEFAULT 0 CHECK (prenotato_centesimi >= 0);
        ALTER TABLE linea ADD COLUMN fpv_entrata_centesimi INTEGER NOT NULL DEFAULT 0 CHECK (fpv_entrata_centesimi >= 0);
        ALTER TABLE linea ADD COLUMN fpv_spesa_centesimi INTEGER NOT NULL DEFAULT 0 CHECK (fpv_spesa_centesimi >= 0);
        DROP INDEX impegno_da_pagare;
        ALTER TABLE impegno DROP COLUMN da_pagare_centesimi;
        ALTER TABLE impegno ADD COLUMN reimputato_centesimi INTEGER NOT NULL DEFAULT 0 CHECK (reimputato_centesimi >= 0);
        ALTER TABLE impegno ADD COLUMN prenotazione TEXT;
        ALTER TABLE impegno ADD COLUMN origine TEXT;
        ALTER TABLE impegno ADD COLUMN cig TEXT;
        ALTER TABLE impegno ADD COLUMN cup TEXT;
        UPDATE impegno SET cig = e.cig, cup = e.cup FROM (
            SELECT json_extract(payload, '$.numero') AS numero, json_extract(payload, '$.cig') AS cig, json_extract(payload, '$.cup') AS cup
            FROM evento WHERE tipo = 'ImpegnoAssunto' AND (instr(payload, '"cig"') > 0 OR instr(payload, '"cup"') > 0)
        ) AS e WHERE impegno.numero = e.numero;
        ALTER TABLE impegno ADD COLUMN da_pagare_centesimi INTEGER GENERATED ALWAYS AS
            (assunto_centesimi - ridotto_centesimi - eliminato_centesimi - reimputato_centesimi - pagato_centesimi) VIRTUAL;
        CREATE INDEX impegno_da_pagare ON impegno (esercizio) WHERE da_pagare_centesimi > 0;

        CREATE TABLE prenotazione (
            numero TEXT PRIMARY KEY,
            fonte TEXT NOT NULL,
            servizio TEXT NOT NULL,
            esercizio INTEGER NOT NULL,
            data TEXT NOT NULL,
            oggetto TEXT NOT NULL,
            importo_centesimi INTEGER NOT NULL CHECK (importo_centesimi > 0),
            ridotto_centesimi INTEGER NOT NULL CHECK (ridotto_centesimi >= 0),
            impegnato_centesimi INTEGER NOT NULL CHECK (impegnato_centesimi >= 0),
            CHECK (importo_centesimi - ridotto_centesimi >= impegnato_centesimi),
            FOREIGN KEY (fonte, servizio, esercizio) REFERENCES linea (fonte, servizio, esercizio)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE accertamento (
            numero TEXT PRIMARY KEY,
            fonte TEXT NOT NULL REFERENCES fonte (codice),
            esercizio INTEGER NOT NULL,
            data TEXT NOT NULL,
            debitore TEXT NOT NULL,
            importo_centesimi INTEGER NOT NULL CHECK (importo_centesimi > 0),
            ridotto_centesimi INTEGER NOT NULL CHECK (ridotto_centesimi >= 0),
            riscosso_centesimi INTEGER NOT NULL CHECK (riscosso_centesimi >= 0),
            CHECK (importo_centesimi - ridotto_centesimi >= riscosso_centesimi)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE riscossione (
            reversale TEXT PRIMARY KEY,
            accertamento TEXT NOT NULL REFERENCES accertamento (numero),
            data TEXT NOT NULL,
            importo_centesimi INTEGER NOT NULL CHECK (importo_centesimi > 0)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE riduzione_accertamento (
            seq INTEGER PRIMARY KEY REFERENCES evento (seq),
            accertamento TEXT NOT NULL REFERENCES accertamento (numero),
            data TEXT NOT NULL,
            importo_centesimi INTEGER NOT NULL CHECK (importo_centesimi > 0)
        ) STRICT;

        DELETE FROM istantanea WHERE versione_codifica < 4;
        """,
        // 5: people and programs that use the ledger through `fondi serve` (DOMAIN §8, ADR 0015): kept in the
        // ledger file, never in the event chain. Every change to a user is recorded, append-only, with who and
        // when; sessions and tokens are stored as SHA-256 hashes of their secrets, never the secrets.
        """
        CREATE TABLE utente (
            nome TEXT PRIMARY KEY,
            ruolo TEXT NOT NULL CHECK (ruolo IN ('consultazione', 'operatore', 'responsabile')),
            password_bcrypt TEXT NOT NULL,
            attivo INTEGER NOT NULL CHECK (attivo IN (0, 1)),
            creato_il TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE utente_registro (
            id INTEGER PRIMARY KEY,
            nome TEXT NOT NULL,
            azione TEXT NOT NULL,
            dettaglio TEXT,
            da TEXT NOT NULL,
            il TEXT NOT NULL
        ) STRICT;
        CREATE TRIGGER utente_registro_append_only_update BEFORE UPDATE ON utente_registro
            BEGIN SELECT RAISE(ABORT, 'utente_registro: registro append-only, nessuna modifica ammessa'); END;
        CREATE TRIGGER utente_registro_append_only_delete BEFORE DELETE ON utente_registro
            BEGIN SELECT RAISE(ABORT, 'utente_registro: registro append-only, nessuna cancellazione ammessa'); END;

        CREATE TABLE token (
            hash BLOB PRIMARY KEY CHECK (length(hash) = 32),
            utente TEXT NOT NULL REFERENCES utente (nome),
            creato_il TEXT NOT NULL,
            revocato_il TEXT
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE sessione (
            hash BLOB PRIMARY KEY CHECK (length(hash) = 32),
            utente TEXT NOT NULL REFERENCES utente (nome),
            csrf TEXT NOT NULL,
            creata_il TEXT NOT NULL,
            ultimo_uso INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE accesso_fallito (
            nome TEXT PRIMARY KEY,
            falliti INTEGER NOT NULL,
            bloccato_fino INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
        """,
        // 6: date-filtered views (`--al`) without a replay from the first event (ADR 0016). `frontiera_data`
        // holds the events that raised the latest date seen so far: monotone in seq and in data, so the first
        // one dated after D ends the prefix of the chain that is wholly dated up to D. `evento_retrodatato`
        // covers every other event dated before that latest date, as the interval [data, latest date − 1],
        // merged per block of 64 seqs: the events after the prefix that a view at D must still fold are in the
        // blocks whose interval holds D, an R*Tree stabbing query whose answer does not grow with history.
        // Dates are YYYYMMDD integers.
        """
        CREATE TABLE frontiera_data (
            seq INTEGER PRIMARY KEY REFERENCES evento (seq),
            data INTEGER NOT NULL
        ) STRICT;
        CREATE VIRTUAL TABLE evento_retrodatato USING rtree_i32 (blocco, da, a);

        -- The events of each impegno (its own, its liquidazioni's and mandati's, its reimputazioni, both ends):
        -- an impegno's page and `storia --impegno` read its trail without scanning the chain (ADR 0016).
        CREATE TABLE evento_impegno (
            impegno TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (impegno, seq)
        ) STRICT, WITHOUT ROWID;

        -- Impegni assunti (net of riduzioni) and mandati emessi per month of their date: the cruscotto's chart.
        CREATE TABLE andamento_mensile (
            mese INTEGER PRIMARY KEY,
            impegnato INTEGER NOT NULL,
            pagato INTEGER NOT NULL
        ) STRICT;
        """ + indicizzaDate + indicizzaImpegni + indicizzaAndamento,
        // 7: DOMAIN §10 (ADR 0023): scadenze and rendicontazioni, the first tables derived from their entities'
        // descriptions (ADR 0022). Frozen like any shipped migration: a later change to these descriptions is a
        // new migration, and `DescrizioneTests` fails until there is one. Snapshots of encoding 4 lack them.
        Scadenza.creaTabella(.sqlite) + ";\n" + Rendicontazione.creaTabella(.sqlite) + """
        ;
        CREATE INDEX scadenza_fonte ON scadenza (fonte);
        CREATE INDEX rendicontazione_destinatario ON rendicontazione (destinatario, al);
        DELETE FROM istantanea WHERE versione_codifica < 5;
        """,
    ]

    /// Fills `frontiera_data` and `evento_retrodatato` from the events already stored, as appending them one
    /// by one would have (`Registro.indicizzaData`).
    static let indicizzaDate = """
        CREATE TEMP TABLE date_eventi AS
            SELECT seq, CAST(replace(data, '-', '') AS INTEGER) AS giorno,
                   max(CAST(replace(data, '-', '') AS INTEGER)) OVER (ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prima
            FROM evento;
        INSERT INTO frontiera_data (seq, data) SELECT seq, giorno FROM date_eventi WHERE prima IS NULL OR giorno > prima;
        INSERT INTO evento_retrodatato (blocco, da, a)
            SELECT seq / 64, min(giorno), max(prima - 1) FROM date_eventi WHERE giorno < prima GROUP BY seq / 64;
        DROP TABLE date_eventi;
        """

    /// Fills `andamento_mensile` from the events already stored, as `IndiceDate.andamento` does on append.
    static let indicizzaAndamento = """
        INSERT INTO andamento_mensile (mese, impegnato, pagato)
            SELECT CAST(substr(replace(data, '-', ''), 1, 6) AS INTEGER) AS m,
                   sum(CASE tipo WHEN 'ImpegnoAssunto' THEN json_extract(payload, '$.importo')
                                 WHEN 'ImpegnoRidotto' THEN -json_extract(payload, '$.importo') ELSE 0 END),
                   sum(CASE tipo WHEN 'PagamentoEmesso' THEN json_extract(payload, '$.importo') ELSE 0 END)
            FROM evento WHERE tipo IN ('ImpegnoAssunto', 'ImpegnoRidotto', 'PagamentoEmesso') GROUP BY m;
        """

    /// Fills `evento_impegno` from the events already stored, as `Registro.indicizzaImpegni` does on append.
    static let indicizzaImpegni = """
        INSERT OR IGNORE INTO evento_impegno (impegno, seq)
            SELECT json_extract(payload, '$.numero'), seq FROM evento WHERE tipo IN ('ImpegnoAssunto', 'ImpegnoReimputato')
            UNION ALL
            SELECT json_extract(payload, '$.impegno'), seq FROM evento
                WHERE tipo IN ('ImpegnoRidotto', 'ResiduoRiportato', 'ResiduoEliminato', 'LiquidazioneDisposta', 'ImpegnoReimputato')
            UNION ALL
            SELECT l.impegno, e.seq FROM evento e JOIN liquidazione l ON l.numero = json_extract(e.payload, '$.liquidazione')
                WHERE e.tipo IN ('LiquidazioneAnnullata', 'PagamentoEmesso');
        """
}
