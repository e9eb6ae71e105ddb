import Fondi
import FondiStore

/// What a write answers, for the CLI's `--formato json` and the API alike (DOMAIN §7–8): the same bytes.
public enum Risultati {
    /// One appended event as a result lists it.
    public static func riepilogo(_ e: EventoRegistrato) -> ValoreJSON {
        .oggetto(["seq": .intero(e.seq), "tipo": .stringa(e.evento.tipo), "data": .stringa(e.data.description), "hash": .stringa(e.hash)])
    }

    /// The events a write appended (or, for a repeated key, those the first time appended) and whether it was a repetition.
    public static func esiti(_ esiti: [Esito]) -> ValoreJSON {
        let ripetuto = !esiti.isEmpty && esiti.allSatisfy(\.ripetuto)
        return .oggetto(["eventi": .lista(esiti.flatMap(\.eventi).map(riepilogo)), "ripetuto": .booleano(ripetuto)])
    }

    /// `verifica --formato json` (and `GET verifica`): ok when projections and snapshots match the replay and,
    /// given a digest, the chain holds it.
    public static func verifica(_ r: RapportoVerifica, digest cercato: [UInt8]?) -> ValoreJSON {
        let esito = r.differenze.isEmpty && (cercato == nil || r.digestSeq != nil)
        return .oggetto([
            "esito": .stringa(esito ? "ok" : "errore"), "eventi": .intero(r.eventi), "testa": .stringa(r.testa),
            "differenze": .lista(r.differenze.map(ValoreJSON.stringa)),
            "digest_seq": r.digestSeq.map(ValoreJSON.intero) ?? .nullo,
        ])
    }

    /// A batch (`importa`, `POST comandi` with a list): lines, events, the range and the last hash.
    public static func lotto(righe: Int, _ r: RiepilogoLotto) -> ValoreJSON {
        .oggetto([
            "righe": .intero(Int64(righe)), "eventi": .intero(Int64(r.eventi)), "ripetuto": .booleano(r.ripetuto),
            "primo_seq": r.primo.map { .intero($0.seq) } ?? .nullo, "ultimo_seq": r.ultimo.map { .intero($0.seq) } ?? .nullo,
            "hash": r.ultimo.map { .stringa($0.hash) } ?? .nullo,
        ])
    }

    /// The result of `chiudi`: residui passivi and attivi riportati, economie, prenotazioni decadute, totals
    /// and the closing's chain hash; with `--prova`, also the impegni the riaccertamento has not touched.
    public static func chiusura(_ esito: Esito, prova: Bool, formato: Formato, candidati: [Impegno] = [],
                                altrimenti: (Esito) -> String) -> String {
        guard let ultimo = esito.eventi.last, case let .esercizioChiuso(esercizio, totali, digest) = ultimo.evento else {
            return altrimenti(esito)
        }
        var tabCandidati: Tabella {
            var t = Tabella(nome: "da_riaccertare", colonne: ["impegno", "fonte", "servizio", "creditore", "da_liquidare", "da_pagare"])
            t.righe = candidati.map { i in
                [.testo(i.numero), .testo(i.linea.fonte), .testo(i.linea.servizio), .testo(i.creditore), .importo(i.daLiquidare), .importo(i.daPagare)]
            }
            return t
        }
        switch formato {
        case .json:
            return chiusuraJSON(esito, ultimo: ultimo, chiusura: (esercizio, totali, digest), prova: prova, candidati: candidati)
        case .csv:
            let (tabResidui, tabEconomie, tabDecadute, tabAttivi) = tabelleChiusura(esito.eventi)
            return Rendering.csv([tabResidui, tabEconomie, tabDecadute, tabAttivi] + (prova ? [tabCandidati] : []))
        case .tabella:
            let (tabResidui, tabEconomie, tabDecadute, tabAttivi) = tabelleChiusura(esito.eventi)
            var out = prova ? "PROVA di chiusura dell'esercizio \(esercizio): nulla è stato scritto.\n\n"
                : "Esercizio \(esercizio) chiuso il \(ultimo.data.italiano).\n\n"
            let tabelle = [tabResidui, tabEconomie, tabDecadute, tabAttivi].filter { !$0.righe.isEmpty || $0.nome == "residui" || $0.nome == "economie" }
            out += Rendering.tabella(tabelle, titoli: [
                "residui": "Residui passivi riportati", "economie": "Economie rilevate",
                "prenotazioni_decadute": "Prenotazioni decadute (il non impegnato diventa economia)", "residui_attivi": "Residui attivi riportati",
            ])
            let righe: [(String, Int64)] = [
                ("Totale residui passivi", totali.residuiPassivi), ("Totale economie", totali.economie),
                ("FPV (reimputato agli esercizi successivi)", totali.fpv), ("Prenotazioni decadute", totali.prenotazioniDecadute),
                ("Totale residui attivi", totali.residuiAttivi),
            ]
            let etichetta = righe.map(\.0.count).max()! + 1, cifre = righe.map { Importo.formatoItaliano($0.1).count }.max()!
            out += "\n"
            for (nome, valore) in righe {
                let v = Importo.formatoItaliano(valore)
                out += nome + ":" + String(repeating: " ", count: etichetta - nome.count + cifre - v.count + 1) + v + "\n"
            }
            if prova {
                out += candidati.isEmpty ? "\nNessun impegno dell'esercizio \(esercizio) da liquidare è rimasto fuori dal riaccertamento.\n"
                    : "\n" + Rendering.tabella([tabCandidati], titoli: [
                        "da_riaccertare": "Impegni del \(esercizio) ancora da liquidare non toccati dal riaccertamento (mantenere, reimputare o eliminare)",
                    ])
            }
            if !prova { out += "Hash di chiusura (da riportare nell'atto): \(ultimo.hash)\n" }
            return out
        }
    }

    /// `chiudi --formato json`: the closing's figures, its events and, with `--prova`, the impegni to riaccertare.
    /// The lists are written entry by entry: a closing of a large year lists hundreds of thousands.
    static func chiusuraJSON(_ esito: Esito, ultimo: EventoRegistrato, chiusura: (esercizio: Int, totali: TotaliChiusura, digest: String),
                             prova: Bool, candidati: [Impegno]) -> String {
        let (esercizio, totali, digest) = chiusura
        var o: [String: ValoreJSON] = [
            "esercizio": .intero(Int64(esercizio)), "prova": .booleano(prova), "ripetuto": .booleano(esito.ripetuto),
            "residui_passivi": .intero(totali.residuiPassivi), "economie": .intero(totali.economie), "fpv": .intero(totali.fpv),
            "prenotazioni_decadute": .intero(totali.prenotazioniDecadute), "residui_attivi": .intero(totali.residuiAttivi),
            "digest_proiezioni": .stringa(digest), "hash": .stringa(ultimo.hash), "seq": .intero(ultimo.seq),
        ]
        if prova {
            o["hash"] = .nullo
            o["seq"] = .nullo
        }
        var campi = o.mapValues { v -> (inout [UInt8]) -> Void in { v.scriviCanonico(into: &$0) } }
        campi["eventi"] = { ValoreJSON.scriviLista(esito.eventi, into: &$0, voce: riepilogo) }
        if prova {
            campi["da_riaccertare"] = {
                ValoreJSON.scriviLista(candidati, into: &$0) { i in
                    .oggetto(["impegno": .stringa(i.numero), "fonte": .stringa(i.linea.fonte), "servizio": .stringa(i.linea.servizio),
                              "esercizio": .intero(Int64(i.linea.esercizio)), "creditore": .stringa(i.creditore),
                              "da_liquidare": .intero(i.daLiquidare), "da_pagare": .intero(i.daPagare)])
                }
            }
        }
        var out: [UInt8] = []
        ValoreJSON.scriviOggetto(campi, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The records a closing appends, as four tables: residui passivi, economie, prenotazioni decadute, residui attivi.
    static func tabelleChiusura(_ eventi: [EventoRegistrato]) -> (Tabella, Tabella, Tabella, Tabella) {
        var tabResidui = Tabella(nome: "residui", colonne: ["impegno", "anno_provenienza", "importo"])
        var tabEconomie = Tabella(nome: "economie", colonne: ["fonte", "servizio", "esercizio", "importo"])
        var tabDecadute = Tabella(nome: "prenotazioni_decadute", colonne: ["prenotazione", "importo"])
        var tabAttivi = Tabella(nome: "residui_attivi", colonne: ["accertamento", "anno_provenienza", "importo"])
        for e in eventi {
            switch e.evento {
            case let .residuoRiportato(impegno, anno, importo):
                tabResidui.righe.append([.testo(impegno), .intero(Int64(anno)), .importo(importo.centesimi)])
            case let .economiaRilevata(linea, importo):
                tabEconomie.righe.append([.testo(linea.fonte), .testo(linea.servizio), .intero(Int64(linea.esercizio)), .importo(importo.centesimi)])
            case let .prenotazioneDecaduta(p, importo):
                tabDecadute.righe.append([.testo(p), .importo(importo.centesimi)])
            case let .residuoAttivoRiportato(a, anno, importo):
                tabAttivi.righe.append([.testo(a), .intero(Int64(anno)), .importo(importo.centesimi)])
            default: break
            }
        }
        return (tabResidui, tabEconomie, tabDecadute, tabAttivi)
    }
}
