"""The words of the web pages, in French (the default) and English.

Field and vocabulary labels (asset types, statuses...) come from ``server.i18n``, shared with the
CSV and PDF exports; this module holds what only the pages say.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from server import i18n
from server.renewal.reports import REASON_LABELS

from . import journal

try:  # the users are French local authorities' staff: times read in Paris time, summer or winter
    DISPLAY_ZONE: dt.tzinfo = ZoneInfo("Europe/Paris")
except ZoneInfoNotFoundError:  # a system without tzdata: UTC, still correct, just not local
    DISPLAY_ZONE = dt.UTC


def local_time(value: dt.datetime) -> dt.datetime:
    """A stored instant (UTC; naive when SQLite gives it back) in the users' time zone."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(DISPLAY_ZONE)


TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "app": "Mutuparc", "tagline": "Inventaire du parc mutualisé",
        "nav_dashboard": "Tableau de bord", "nav_assets": "Équipements", "nav_renewal": "Renouvellement",
        "nav_members": "Membres", "nav_collectors": "Collecteurs", "skip": "Aller au contenu",
        "login": "Connexion", "username": "Identifiant", "password": "Mot de passe", "sign_in": "Se connecter",
        "logout": "Se déconnecter", "bad_login": "Identifiant ou mot de passe incorrect.",
        "throttled": "Trop d'échecs de connexion : réessayez dans quelques minutes.",
        "account": "Mon compte", "my_tokens": "Mes jetons d'API", "expires": "Expire le", "created": "Créé le",
        "token_name": "Nom du jeton", "change_password": "Changer de mot de passe",
        "current_password": "Mot de passe actuel", "new_password": "Nouveau mot de passe (8 caractères ou plus)",
        "password_changed": "Mot de passe changé : vos autres sessions sont fermées.",
        "bad_password": "Mot de passe actuel incorrect, ou nouveau mot de passe trop court.", "expired": "expiré",
        "language": "Langue", "all_members": "Tous les membres", "member": "Membre", "members": "Membres",
        "assets": "Équipements", "in_service": "en service", "not_seen": "Non vus depuis {days} jours",
        "to_audit": "Appareils découverts à auditer", "obsolete": "Obsolètes ou à renouveler en {year}",
        "last_snapshot": "Dernier relevé des clés (J+1)", "never": "jamais",
        "per_member_type": "Par membre et par type",
        "type": "Type", "total": "Total", "search": "Rechercher", "search_hint": "nom, n° de série, modèle…",
        "filter": "Filtrer", "reset": "Effacer", "stale_only": "Non vus récemment", "any_type": "Tous les types",
        "results": "{count} équipement(s)", "previous": "Précédent", "next": "Suivant",
        "page": "Page {page} sur {pages}",
        "export_csv": "Exporter en CSV", "export_xlsx": "Exporter en XLSX", "no_result": "Aucun équipement.",
        "identity": "Identité", "lifecycle": "Cycle de vie", "components": "Composants", "software": "Logiciels",
        "ports": "Ports réseau", "history": "Historique des modifications",
        "audit_chain": "Chaîne d'audit (preuve)", "verify_chain": "Vérifier la chaîne",
        "chain_ok": "Chaîne intacte : {rows} lignes, tête {head}", "chain_broken": "Chaîne altérée :",
        "via": "Canal", "export_jsonl": "Exporter en JSON Lines", "status_history": "Historique des statuts",
        "documents": "Documents", "obsolescence": "Obsolescence", "reasons": "Motifs", "due": "Échéance",
        "age": "Âge", "years": "{age} ans", "estimated": "estimé", "none": "—", "when": "Date", "who": "Par",
        "what": "Modification", "plan_title": "Plan de renouvellement {year}", "budget_date": "Date budgétaire",
        "show": "Afficher", "lines": "Lignes du plan", "cost": "Coût estimé", "forecast": "Prévision sur 7 ans",
        "renewals_per_year": "Renouvellements par année", "cost_per_year": "Coût par année",
        "pyramid": "Pyramide des âges", "versions": "Versions de systèmes et firmwares",
        "cost_per_member": "Coût N+1 par membre", "export_pdf": "Exporter en PDF", "sites": "Sites",
        "population": "Population", "kind": "Nature", "tokens": "Jetons d'inscription", "label": "Libellé",
        "last_used": "Dernière utilisation", "revoked": "révoqué", "active": "actif", "collector_runs": "Passages",
        "collector": "Collecteur", "devices": "Équipements", "ok": "OK", "failed": "En échec",
        "not_found": "Page introuvable", "not_found_text": "Cette page n'existe pas, ou vous n'y avez pas accès.",
        "forbidden": "Accès refusé", "back": "Retour au tableau de bord", "count": "Nombre", "name": "Nom",
        "status": "Statut", "unpriced": "sans prix", "more_lines": "{count} autres lignes : voir l'export.",
        "nav_allocation": "Répartition", "year": "Année", "key": "Clé", "key_values": "Valeurs des clés par membre",
        "key_history": "Historique des relevés J+1",
        "st_ok": "OK", "st_timeout": "Délai dépassé", "st_auth_failure": "Échec d'authentification",
        "st_unknown_profile": "Profil inconnu", "st_error": "Erreur", "st_host_key": "Clé d'hôte refusée",
        "st_parse_error": "Sortie illisible", "st_refused_command": "Commande refusée",
        "problems": "Dernier passage de {collector}",
        "device": "Appareil", "message": "Message",
        "token_once": "Nouveau jeton, affiché une seule fois : copiez-le dans la configuration de l'agent.",
        "user_tokens": "Jetons d'API des utilisateurs", "no_user_token": "Aucun jeton d'API actif.",
        "user_token_once": "Nouveau jeton pour {user}, affiché une seule fois :",
        "user_token_revoked": "Jeton révoqué.", "err_token_name": "Donnez un nom au jeton.",
        "err_token_disabled_user": "Ce compte est désactivé : réactivez-le avant de lui créer un jeton.",
        "nav_audit": "Journal", "closures": "Clôtures d'années", "closure_close": "clôture",
        "closure_reopen": "réouverture",
        "frozen_plans": "Plans soumis aux membres", "plan_proposed": "proposé", "plan_decided": "décidé",
        "frozen_by": "Figé par {who} le {when}", "decision": "Décision", "comment": "Commentaire",
        "decision_accept": "Accepter", "decision_postpone": "Reporter d'un an", "decision_refuse": "Refuser",
        "decide_help": "La décision appartient au membre : pour chaque ligne, accepter, reporter d'un an ou refuser "
                       "(un commentaire est demandé pour un report ou un refus).",
        "save_decisions": "Enregistrer les décisions", "freeze_plan": "Figer le plan de {member}",
        "freeze_help": "Figer le plan en fait la version que le membre étudie et sur laquelle il décide.",
        "agent": "agent", "create_token": "Créer un jeton", "revoke": "Révoquer", "prefix": "Début du jeton",
        "no_snapshot": "Aucun relevé quotidien pour l'instant (mutuparc keys snapshot).",
        "nav_conflicts": "Conflits", "open_conflicts": "Conflits d'inventaire à traiter",
        "conflicts_help": "Un inventaire ressemblait à un équipement qu'il ne pouvait pas modifier (celui d'un autre "
                          "membre, ou un inventaire envoyé sans jeton) : il a été rangé à part et l'autre équipement "
                          "n'a pas changé. Décidez s'il s'agit du même appareil.",
        "conflict_open": "À traiter", "conflict_moved": "Déplacés", "conflict_merged": "Fusionnés",
        "conflict_ignored": "Ignorés",
        "conflict_kind_deviceid": "Même identifiant d'agent ou de collecte ({value})",
        "conflict_kind_serial": "Même numéro de série ({value})", "conflict_kind_uuid": "Même UUID ({value})",
        "conflict_kind_mac": "Même adresse MAC ({value})",
        "conflict_kind_name": "Doublon probable : même nom ({value}), rien d'autre ne le confirme",
        "conflict_seen": "Depuis le {first}, signalé par {reporter}", "conflict_reports": "{count} inventaires",
        "conflict_reported": "Où l'inventaire est allé", "conflict_matched": "Équipement ressemblant (inchangé)",
        "conflict_move": "Déplacer", "conflict_merge": "Fusionner", "conflict_ignore": "Ignorer",
        "conflict_move_help": "L'appareil a changé de membre : l'équipement ressemblant passe au membre qui "
                              "l'inventorie et les deux fiches sont fusionnées.",
        "conflict_merge_help": "Même appareil, même membre : les deux fiches sont fusionnées.",
        "conflict_ignore_help": "Deux appareils distincts : les fiches restent séparées et ce conflit ne "
                                "reviendra plus.",
        "conflict_resolved": "Traité par {who} le {when}", "no_conflict": "Aucun conflit.",
        "no_token": "un inventaire sans jeton", "quarantine": "quarantaine",
        "api_docs": "Documentation de l'API",
        "invoices": "Titres à émettre",
        "invoices_help": "Ce que chaque membre doit à ceux qui ont avancé les dépenses.",
        "issuer": "Émetteur", "debtor": "Débiteur", "amount": "Montant",
        "member_totals": "Total par membre", "statement": "Décompte", "pools": "Enveloppes", "pool": "Enveloppe",
        "closed": "clôturée", "close_year": "Clôturer l'année {year}",
        "close_help": "La clôture fige les valeurs des clés de {year} ; seul un administrateur peut la rouvrir.",
        "role_admin": "administrateur DSIT", "role_technician": "technicien DSIT",
        "role_member_reader": "lecteur membre",
        "history_count": "{count} inventaire(s) ou modification(s)", "history_lines": "{count} ligne(s)",
        "history_added": "{count} ajouté(s)", "history_removed": "{count} retiré(s)",
        "history_updated": "{count} modifié(s)", "history_kind_added": "Ajout", "history_kind_removed": "Retrait",
        "history_kind_updated": "Modification", "history_change": "Changement", "history_item": "Élément",
        "history_field": "Champ", "history_before": "Avant", "history_after": "Après",
        "history_older": "{count} inventaire(s) ou modification(s) plus ancien(s) (API)",
        "printer_counters": "Compteurs et consommables", "counters_now": "Compteurs", "counter": "Compteur",
        "counter_value": "Valeur",
        "pages_per_month": "Pages imprimées par mois", "pages_printed": "Pages imprimées", "month": "Mois",
        "read_at": "Relevé le", "series": "Série", "last_months": "{months} derniers mois",
        "resets": "Remises à zéro", "supplies": "Consommables", "level": "Niveau",
        "resets_help": "Un compteur qui baisse (carte remplacée) commence une nouvelle série : il ne compte "
                       "aucune page négative, ni les pages imprimées entre son dernier relevé et la remise à zéro.",
        "no_counter": "Aucun relevé de compteur pour cet équipement.", "no_supply": "Aucun niveau de consommable.",
        "months_utc": "Mois en temps universel (UTC) : une page compte au mois du relevé qui la constate.",
        "forbidden_text": "Votre rôle ne permet pas cette action ou cette page.",
        "conflict": "Conflit", "conflict_text": "Cette demande contredit des données existantes.",
        "invalid": "Demande refusée", "invalid_text": "Certaines valeurs de la demande sont invalides.",
        "invalid_fields": "Champs à corriger :", "loc_query": "adresse", "loc_body": "formulaire",
        "loc_path": "chemin", "loc_header": "en-tête", "loc_cookie": "cookie",
        "throttled_title": "Trop de tentatives", "throttled_title_text": "Réessayez dans quelques minutes.",
        "server_error": "Erreur du serveur",
        "server_error_text": "Le serveur n'a pas pu répondre. L'erreur est enregistrée dans son journal ; "
                             "réessayez, ou signalez-la à la DSIT.",
        "error_code": "erreur {status}", "guessed": "d'après sa description", "unidentified": "Non identifié",
        "saved": "Modifications enregistrées.", "form_errors": "Le formulaire contient des erreurs : voir ci-dessous.",
        "member_details": "Fiche du membre", "insee_code": "Code INSEE ou SIREN", "save": "Enregistrer",
        "insee_hint": "Commune : code INSEE à 5 caractères (77053, 2A004) ; EPCI : SIREN à 9 chiffres.",
        "address": "Adresse", "site_name": "Nom du site", "add_site": "Ajouter le site", "edit": "Modifier",
        "err_kind": "Nature inconnue.", "err_population": "Population : un nombre entier positif.",
        "err_insee": "Code INSEE : 5 caractères, chiffres (ou 2A/2B et 3 chiffres pour la Corse).",
        "err_siren": "SIREN : 9 chiffres.", "err_site_name": "Nom du site : obligatoire.",
        "err_site_exists": "Ce membre a déjà un site de ce nom.",
        "nav_users": "Utilisateurs", "display_name": "Nom affiché", "role": "Rôle", "last_login": "Dernière connexion",
        "actions": "Actions", "disabled": "désactivé", "disable": "Désactiver", "enable": "Réactiver",
        "confirm": "Je confirme", "reset_password": "Nouveau mot de passe", "create_user": "Créer l'utilisateur",
        "member_for_reader": "Membre (lecteur membre)",
        "initial_password": "Mot de passe initial (8 caractères ou plus)",
        "password_once": "Nouveau mot de passe de {user}, affiché une seule fois :",
        "user_created": "Utilisateur créé.", "user_disabled": "Compte désactivé : ses sessions sont fermées.",
        "user_enabled": "Compte réactivé.",
        "err_username": "Identifiant : 2 à 100 caractères, minuscules, chiffres, point, tiret ou souligné.",
        "err_username_taken": "Cet identifiant existe déjà.", "err_role": "Rôle inconnu.",
        "err_member_needed": "Un lecteur membre doit être rattaché à un membre.",
        "err_password": "Mot de passe : 8 caractères ou plus.",
        "err_confirm": "Cochez « Je confirme » pour cette action.",
        "err_disable_self": "Vous ne pouvez pas désactiver votre propre compte.",
        "edit_asset": "Modifier {name}", "assign_title": "Affecter à un membre",
        "assign_help": "Cet équipement est en quarantaine (inventaire reçu sans membre) : choisissez son membre.",
        "assign": "Affecter", "site": "Site", "status_reason": "Motif du changement de statut",
        "status_reason_hint": "Obligatoire quand le statut change (ex. : « recyclé par le prestataire »).",
        "document_file": "Document joint (facultatif)", "document_kind": "Nature du document", "cancel": "Annuler",
        "doc_recycling_certificate": "Certificat de recyclage", "doc_invoice": "Facture",
        "doc_delivery_note": "Bon de livraison", "doc_donation_agreement": "Convention de don", "doc_other": "Autre",
        "err_choice": "Choix inconnu.", "err_date": "Date invalide (jj/mm/aaaa).",
        "err_price": "Prix : un montant positif, deux décimales au plus (ex. : 1 234,50).",
        "err_too_long": "Texte trop long.", "err_warranty_before_purchase": "La garantie finit avant l'achat.",
        "err_reason": "Indiquez le motif du changement de statut.", "err_document_empty": "Le document est vide.",
        "err_document_big": "Document trop gros (20 Mo au plus).",
        "err_member_needed_assign": "Choisissez un membre.", "err_site_of_member": "Ce site n'est pas celui du membre.",
        "asset_saved": "Équipement enregistré.",
        "merges": "Fusions d'équipements", "merge_done": "Fiches fusionnées.", "merge_target": "Fiche conservée",
        "merge_merged": "Fiche fusionnée", "merge_reason": "Motif", "merge_source": "une source d'inventaire",
        "merge_reason_serial": "Même n° de série", "merge_reason_uuid": "Même UUID", "merge_reason_mac": "Même MAC",
        "merge_reason_name": "Même nom", "merge_reason_manual": "Fusion manuelle",
        "merge_reason_deviceid": "Même identifiant d'agent",
        "merge_undone": "annulée par {who} le {when}", "undo_merge": "Annuler la fusion",
        "merges_help": "Annuler une fusion rend à la fiche fusionnée ses valeurs et ses inventaires.",
        "merge_into_this": "Fusionner une fiche en double dans celle-ci",
        "merge_into_help": "L'autre fiche (même machine) est rattachée à celle-ci ; la fusion peut être annulée :",
        "merge_other_id": "N° de l'autre fiche", "err_merge_other": "Fiche à fusionner introuvable ou déjà fusionnée.",
        "err_already_undone": "Cette fusion est déjà annulée.",
        "snmp_credentials": "Identifiants SNMP", "snmp_version": "Version", "snmp_user": "Utilisateur",
        "snmp_secrets": "Secrets enregistrés", "snmp_community": "Communauté",
        "snmp_auth_key": "Clé d'authentification",
        "snmp_priv_key": "Clé de chiffrement", "snmp_auth_protocol": "Protocole d'authentification",
        "snmp_priv_protocol": "Protocole de chiffrement", "add_credential": "Ajouter ou remplacer un identifiant",
        "delete": "Supprimer", "credential_saved": "Identifiant enregistré (secrets chiffrés).",
        "credential_deleted": "Identifiant supprimé.",
        "credential_name_hint": "Lettres, chiffres, point, tiret, souligné ; un nom existant du membre est remplacé.",
        "credentials_help": "Les collecteurs du membre reçoivent ces identifiants à chaque passage. Les secrets "
                            "sont chiffrés et ne sont plus jamais affichés.",
        "err_snmp_name": "Nom : lettres, chiffres, point, tiret ou souligné (100 au plus).",
        "err_snmp_version": "Version inconnue.", "err_snmp_community": "SNMPv1/v2c : la communauté est obligatoire.",
        "err_snmp_user": "SNMPv3 : l'utilisateur est obligatoire.",
        "err_snmp_auth_key": "Clé d'authentification : 8 caractères ou plus.",
        "err_snmp_priv_key": "Clé de chiffrement : 8 caractères ou plus.",
        "err_snmp_priv": "Le chiffrement demande aussi une clé d'authentification.",
        "err_snmp_auth_protocol": "Protocole inconnu.", "err_snmp_priv_protocol": "Protocole inconnu.",
        "err_snmp_member_id": "Choisissez un membre.",
    },
    "en": {
        "app": "Mutuparc", "tagline": "Shared IT inventory",
        "nav_dashboard": "Dashboard", "nav_assets": "Assets", "nav_renewal": "Renewal", "nav_members": "Members",
        "nav_collectors": "Collectors", "skip": "Skip to content",
        "login": "Sign in", "username": "Username", "password": "Password", "sign_in": "Sign in",
        "logout": "Sign out", "bad_login": "Wrong username or password.",
        "throttled": "Too many failed sign-ins: try again in a few minutes.",
        "account": "My account", "my_tokens": "My API tokens", "expires": "Expires", "created": "Created",
        "token_name": "Token name", "change_password": "Change password",
        "current_password": "Current password", "new_password": "New password (8 characters or more)",
        "password_changed": "Password changed: your other sessions are closed.",
        "bad_password": "Wrong current password, or new password too short.", "expired": "expired",
        "language": "Language", "all_members": "All members", "member": "Member", "members": "Members",
        "assets": "Assets", "in_service": "in service", "not_seen": "Not seen for {days} days",
        "to_audit": "Discovered devices to audit", "obsolete": "Obsolete or to renew in {year}",
        "last_snapshot": "Last key snapshot (D+1)", "never": "never", "per_member_type": "Per member and type",
        "type": "Type", "total": "Total", "search": "Search", "search_hint": "name, serial, model…",
        "filter": "Filter", "reset": "Clear", "stale_only": "Not seen lately", "any_type": "Any type",
        "results": "{count} asset(s)", "previous": "Previous", "next": "Next", "page": "Page {page} of {pages}",
        "export_csv": "Export CSV", "export_xlsx": "Export XLSX", "no_result": "No asset.",
        "identity": "Identity", "lifecycle": "Lifecycle", "components": "Components", "software": "Software",
        "ports": "Network ports", "history": "Change history",
        "audit_chain": "Audit chain (proof)", "verify_chain": "Verify the chain",
        "chain_ok": "Chain intact: {rows} rows, head {head}", "chain_broken": "Chain tampered with:",
        "via": "Channel", "export_jsonl": "Export JSON Lines", "status_history": "Status history",
        "documents": "Documents", "obsolescence": "Obsolescence", "reasons": "Reasons", "due": "Due",
        "age": "Age", "years": "{age} years", "estimated": "estimated", "none": "—", "when": "Date", "who": "By",
        "what": "Change", "plan_title": "Renewal plan {year}", "budget_date": "Budget date",
        "show": "Show", "lines": "Plan lines", "cost": "Estimated cost", "forecast": "7-year forecast",
        "renewals_per_year": "Renewals per year", "cost_per_year": "Cost per year",
        "pyramid": "Age pyramid", "versions": "OS and firmware versions",
        "cost_per_member": "Next year's cost per member", "export_pdf": "Export PDF", "sites": "Sites",
        "population": "Population", "kind": "Kind", "tokens": "Enrolment tokens", "label": "Label",
        "last_used": "Last used", "revoked": "revoked", "active": "active", "collector_runs": "Runs",
        "collector": "Collector", "devices": "Devices", "ok": "OK", "failed": "Failed",
        "not_found": "Page not found", "not_found_text": "This page does not exist, or you may not see it.",
        "forbidden": "Forbidden", "back": "Back to the dashboard", "count": "Count", "name": "Name",
        "status": "Status", "unpriced": "unpriced", "more_lines": "{count} more lines: see the export.",
        "nav_allocation": "Allocation", "year": "Year", "key": "Key", "key_values": "Key values per member",
        "key_history": "D+1 snapshot history",
        "st_ok": "OK", "st_timeout": "Timeout", "st_auth_failure": "Authentication failure",
        "st_unknown_profile": "Unknown profile", "st_error": "Error", "st_host_key": "Host key refused",
        "st_parse_error": "Unreadable output", "st_refused_command": "Command refused",
        "problems": "Last run of {collector}",
        "device": "Device", "message": "Message",
        "token_once": "New token, shown only once: copy it into the agent's configuration.",
        "user_tokens": "Users' API tokens", "no_user_token": "No active API token.",
        "user_token_once": "New token for {user}, shown only once:",
        "user_token_revoked": "Token revoked.", "err_token_name": "Give the token a name.",
        "err_token_disabled_user": "This account is disabled: enable it before creating a token for it.",
        "nav_audit": "Audit log", "closures": "Year closures", "closure_close": "closed",
        "closure_reopen": "reopened",
        "frozen_plans": "Plans submitted to members", "plan_proposed": "proposed", "plan_decided": "decided",
        "frozen_by": "Frozen by {who} on {when}", "decision": "Decision", "comment": "Comment",
        "decision_accept": "Accept", "decision_postpone": "Postpone one year", "decision_refuse": "Refuse",
        "decide_help": "The decision belongs to the member: for each line, accept, postpone one year or refuse "
                       "(a comment is asked for a postponement or a refusal).",
        "save_decisions": "Save the decisions", "freeze_plan": "Freeze {member}'s plan",
        "freeze_help": "Freezing the plan makes it the version the member studies and decides on.",
        "agent": "agent", "create_token": "Create a token", "revoke": "Revoke", "prefix": "Token start",
        "no_snapshot": "No daily snapshot yet (mutuparc keys snapshot).",
        "nav_conflicts": "Conflicts", "open_conflicts": "Inventory conflicts to resolve",
        "conflicts_help": "An inventory resembled an asset it could not change (another member's, or it came "
                          "without a token): it was kept apart and the other asset was left unchanged. Decide "
                          "whether they are one device.",
        "conflict_open": "To resolve", "conflict_moved": "Moved", "conflict_merged": "Merged",
        "conflict_ignored": "Ignored",
        "conflict_kind_deviceid": "Same agent or collector device id ({value})",
        "conflict_kind_serial": "Same serial number ({value})", "conflict_kind_uuid": "Same UUID ({value})",
        "conflict_kind_mac": "Same MAC address ({value})",
        "conflict_kind_name": "Suspected duplicate: same name ({value}), nothing else confirms it",
        "conflict_seen": "Since {first}, reported by {reporter}", "conflict_reports": "{count} inventories",
        "conflict_reported": "Where the inventory went", "conflict_matched": "Resembling asset (unchanged)",
        "conflict_move": "Move", "conflict_merge": "Merge", "conflict_ignore": "Ignore",
        "conflict_move_help": "The device changed member: the resembling asset moves to the member that "
                              "inventories it and the two records are merged.",
        "conflict_merge_help": "One device, one member: the two records are merged.",
        "conflict_ignore_help": "Two distinct devices: the records stay apart and this conflict will not come back.",
        "conflict_resolved": "Resolved by {who} on {when}", "no_conflict": "No conflict.",
        "no_token": "an inventory without a token", "quarantine": "quarantine",
        "api_docs": "API documentation",
        "invoices": "Invoices between members",
        "invoices_help": "What each member owes the members who advanced the costs.",
        "issuer": "Issuer", "debtor": "Debtor", "amount": "Amount",
        "member_totals": "Total per member", "statement": "Statement", "pools": "Cost pools", "pool": "Pool",
        "closed": "closed", "close_year": "Close year {year}",
        "close_help": "Closing freezes the key values of {year}; only an administrator may reopen it.",
        "role_admin": "DSIT administrator", "role_technician": "DSIT technician", "role_member_reader": "member reader",
        "history_count": "{count} inventories or edits", "history_lines": "{count} line(s)",
        "history_added": "{count} added", "history_removed": "{count} removed", "history_updated": "{count} updated",
        "history_kind_added": "Added", "history_kind_removed": "Removed", "history_kind_updated": "Updated",
        "history_change": "Change", "history_item": "Item", "history_field": "Field", "history_before": "Before",
        "history_after": "After", "history_older": "{count} older inventories or edits (API)",
        "printer_counters": "Counters and supplies", "counters_now": "Counters", "counter": "Counter",
        "counter_value": "Value",
        "pages_per_month": "Pages printed per month", "pages_printed": "Pages printed", "month": "Month",
        "read_at": "Read on", "series": "Series", "last_months": "Last {months} months",
        "resets": "Counter resets", "supplies": "Supplies", "level": "Level",
        "resets_help": "A counter that goes down (board replaced) starts a new series: it counts no negative "
                       "pages, nor the pages printed between its last reading and the reset.",
        "no_counter": "No counter reading for this asset.", "no_supply": "No supply level.",
        "months_utc": "Months in UTC: a page counts in the month of the reading that sees it.",
        "forbidden_text": "Your role does not allow this action or page.",
        "conflict": "Conflict", "conflict_text": "This request contradicts existing data.",
        "invalid": "Request refused", "invalid_text": "Some values of the request are invalid.",
        "invalid_fields": "Fields to correct:", "loc_query": "address", "loc_body": "form",
        "loc_path": "path", "loc_header": "header", "loc_cookie": "cookie",
        "throttled_title": "Too many attempts", "throttled_title_text": "Try again in a few minutes.",
        "server_error": "Server error",
        "server_error_text": "The server could not answer. The error is recorded in its log; try again, "
                             "or report it to the DSIT.",
        "error_code": "error {status}", "guessed": "from its description", "unidentified": "Unidentified",
        "saved": "Changes saved.", "form_errors": "The form has errors: see below.",
        "member_details": "Member record", "insee_code": "INSEE code or SIREN", "save": "Save",
        "insee_hint": "Commune: 5-character INSEE code (77053, 2A004); EPCI: 9-digit SIREN.",
        "address": "Address", "site_name": "Site name", "add_site": "Add the site", "edit": "Edit",
        "err_kind": "Unknown kind.", "err_population": "Population: a positive whole number.",
        "err_insee": "INSEE code: 5 characters, digits (or 2A/2B and 3 digits for Corsica).",
        "err_siren": "SIREN: 9 digits.", "err_site_name": "Site name: required.",
        "err_site_exists": "This member already has a site of that name.",
        "nav_users": "Users", "display_name": "Display name", "role": "Role", "last_login": "Last sign-in",
        "actions": "Actions", "disabled": "disabled", "disable": "Disable", "enable": "Enable",
        "confirm": "I confirm", "reset_password": "New password", "create_user": "Create the user",
        "member_for_reader": "Member (member reader)", "initial_password": "Initial password (8 characters or more)",
        "password_once": "New password of {user}, shown only once:",
        "user_created": "User created.", "user_disabled": "Account disabled: its sessions are closed.",
        "user_enabled": "Account enabled.",
        "err_username": "Username: 2 to 100 characters, lower-case letters, digits, dot, dash or underscore.",
        "err_username_taken": "This username already exists.", "err_role": "Unknown role.",
        "err_member_needed": "A member reader must belong to a member.",
        "err_password": "Password: 8 characters or more.",
        "err_confirm": "Tick “I confirm” for this action.",
        "err_disable_self": "You cannot disable your own account.",
        "edit_asset": "Edit {name}", "assign_title": "Assign to a member",
        "assign_help": "This asset is in quarantine (an inventory received without a member): choose its member.",
        "assign": "Assign", "site": "Site", "status_reason": "Reason for the status change",
        "status_reason_hint": "Required when the status changes (e.g. “recycled by the contractor”).",
        "document_file": "Attached document (optional)", "document_kind": "Document kind", "cancel": "Cancel",
        "doc_recycling_certificate": "Recycling certificate", "doc_invoice": "Invoice",
        "doc_delivery_note": "Delivery note", "doc_donation_agreement": "Donation agreement", "doc_other": "Other",
        "err_choice": "Unknown choice.", "err_date": "Invalid date.",
        "err_price": "Price: a positive amount, two decimals at most (e.g. 1,234.50).",
        "err_too_long": "Text too long.", "err_warranty_before_purchase": "The warranty ends before the purchase.",
        "err_reason": "Give the reason for the status change.", "err_document_empty": "The document is empty.",
        "err_document_big": "Document too big (20 MB at most).",
        "err_member_needed_assign": "Choose a member.", "err_site_of_member": "This site is not the member's.",
        "asset_saved": "Asset saved.",
        "merges": "Asset merges", "merge_done": "Records merged.", "merge_target": "Record kept",
        "merge_merged": "Record merged", "merge_reason": "Reason", "merge_source": "an inventory source",
        "merge_reason_serial": "Same serial number", "merge_reason_uuid": "Same UUID", "merge_reason_mac": "Same MAC",
        "merge_reason_name": "Same name", "merge_reason_manual": "Manual merge",
        "merge_reason_deviceid": "Same agent id",
        "merge_undone": "undone by {who} on {when}", "undo_merge": "Undo the merge",
        "merges_help": "Undoing a merge gives the merged record back its values and inventories.",
        "merge_into_this": "Merge a duplicate record into this one",
        "merge_into_help": "The other record (same machine) is attached to this one; the merge can be undone:",
        "merge_other_id": "Other record's number", "err_merge_other": "Record to merge not found or already merged.",
        "err_already_undone": "This merge is already undone.",
        "snmp_credentials": "SNMP credentials", "snmp_version": "Version", "snmp_user": "User",
        "snmp_secrets": "Stored secrets", "snmp_community": "Community", "snmp_auth_key": "Authentication key",
        "snmp_priv_key": "Privacy key", "snmp_auth_protocol": "Authentication protocol",
        "snmp_priv_protocol": "Privacy protocol", "add_credential": "Add or replace a credential",
        "delete": "Delete", "credential_saved": "Credential saved (secrets encrypted).",
        "credential_deleted": "Credential deleted.",
        "credential_name_hint": "Letters, digits, dot, dash, underscore; a member's existing name is replaced.",
        "credentials_help": "The member's collectors receive these credentials at each run. The secrets are "
                            "encrypted and never shown again.",
        "err_snmp_name": "Name: letters, digits, dot, dash or underscore (100 at most).",
        "err_snmp_version": "Unknown version.", "err_snmp_community": "SNMPv1/v2c: the community is required.",
        "err_snmp_user": "SNMPv3: the user is required.",
        "err_snmp_auth_key": "Authentication key: 8 characters or more.",
        "err_snmp_priv_key": "Privacy key: 8 characters or more.",
        "err_snmp_priv": "Privacy also needs an authentication key.",
        "err_snmp_auth_protocol": "Unknown protocol.", "err_snmp_priv_protocol": "Unknown protocol.",
        "err_snmp_member_id": "Choose a member.",
    },
}  # fmt: skip


class Words:
    """What templates call ``t``: ``t("results", count=3)``, ``t.field("serial")``, ``t.value(...)``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in TEXT else "fr"

    def __call__(self, key: str, **values: Any) -> str:
        text = TEXT[self.lang].get(key, key)
        return text.format(**values) if values else text

    def field(self, name: str) -> str:
        return i18n.field_label(name, self.lang)

    def value(self, field: str, value: Any) -> str:
        return i18n.value_label(field, value, self.lang) if value is not None else TEXT[self.lang]["none"]

    def action(self, action: str) -> str:
        """An audit-chain action in words (``login`` → Connexion)."""
        return journal.action_label(action, self.lang)

    def channel(self, via: str) -> str:
        return journal.channel_label(via, self.lang)

    def change_field(self, field: str) -> str:
        """An asset-change row's field in words (``created`` → Création)."""
        return journal.change_field_label(field, self.lang)

    def change_value(self, field: str, value: str | None) -> str:
        return journal.change_value(field, value, self.lang)

    def reason(self, code: str) -> str:
        return REASON_LABELS[self.lang].get(code, code)

    def format(self, value: Any) -> str:
        """A value as the page shows it: instants in the users' time zone, ``02/12/2026 18:04``."""
        if value is None:
            return TEXT[self.lang]["none"]
        if isinstance(value, dt.datetime):
            value = local_time(value)
        return i18n.format_value(value, self.lang)

    def format_iso(self, text: str | None) -> str:
        """An instant stored as ISO text (the audit chain's ``at``)."""
        try:
            return self.format(dt.datetime.fromisoformat(text)) if text else TEXT[self.lang]["none"]
        except ValueError:
            return text or ""

    def integer(self, value: int | None) -> str:
        """A count with its thousands grouped: 12 345 (narrow no-break space) / 12,345."""
        if value is None:
            return TEXT[self.lang]["none"]
        return f"{value:,}".replace(",", "\u202f") if self.lang == "fr" else f"{value:,}"

    def number(self, value: Any) -> str:
        """A key value: integers as such, decimals with a French comma."""
        if value is None:
            return TEXT[self.lang]["none"]
        text = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
        return text.replace(".", ",") if self.lang == "fr" else text

    def amount(self, value: Any) -> str:
        if value is None:
            return TEXT[self.lang]["none"]
        return i18n.format_amount(Decimal(value) if isinstance(value, str) else value, self.lang) + " €"


# Device pictures on the asset page (server.web.device_views, templates/_device_*.html).
TEXT["fr"].update({
    "ups_picture": "Onduleur", "ups_charge": "de charge de la batterie", "ups_runtime": "Autonomie",
    "ups_load": "Charge de sortie", "ups_battery_status": "État de la batterie", "ups_battery_normal": "Normal",
    "ups_battery_low": "Faible", "ups_battery_depleted": "Épuisée ou en défaut", "ups_battery_unknown": "Inconnu",
    "ups_replace_needed": "À remplacer", "ups_temperature": "Température de la batterie",
    "ups_input": "Tension d'entrée", "ups_output": "Tension de sortie", "ups_battery_age": "Âge de la batterie",
    "ups_battery_since": "Batterie du {date}", "ups_battery_years": "{age} ans sur un cycle de {cycle} ans",
    "ups_battery_due": "à remplacer le {date}",
    "nas_picture": "Stockage", "nas_volumes": "Volumes", "nas_pools": "Groupes de stockage", "nas_disks": "Disques",
    "nas_used_of": "{used} utilisés sur {total} ({percent})", "nas_free": "{free} libres",
    "switch_picture": "Ports du commutateur", "switch_up_down": "{up} actifs, {down} inactifs",
    "port": "Port", "port_status": "État", "port_up": "actif", "port_down": "inactif", "port_trunk": "trunk",
    "port_trunk_short": "T", "port_aggregate": "agrégat de liens", "port_aggregate_short": "A",
    "port_member_of": "membre de {lag}", "port_behind": "{count} derrière", "port_macs": "Adresses MAC vues",
    "port_neighbours": "Voisins (LLDP/CDP)", "port_connections": "Derrière chaque port",
    "printer_total_pages": "Compteur total : {pages} pages", "supply_low": "bas",
    "supply_some_left": "Reste du consommable", "supply_unknown": "Niveau inconnu",
})  # fmt: skip
TEXT["en"].update({
    "ups_picture": "UPS", "ups_charge": "battery charge", "ups_runtime": "Runtime", "ups_load": "Output load",
    "ups_battery_status": "Battery status", "ups_battery_normal": "Normal", "ups_battery_low": "Low",
    "ups_battery_depleted": "Depleted or faulty", "ups_battery_unknown": "Unknown", "ups_replace_needed": "Replace",
    "ups_temperature": "Battery temperature", "ups_input": "Input voltage", "ups_output": "Output voltage",
    "ups_battery_age": "Battery age", "ups_battery_since": "Battery of {date}",
    "ups_battery_years": "{age} years of a {cycle}-year cycle", "ups_battery_due": "to replace on {date}",
    "nas_picture": "Storage", "nas_volumes": "Volumes", "nas_pools": "Storage pools", "nas_disks": "Disks",
    "nas_used_of": "{used} used of {total} ({percent})", "nas_free": "{free} free",
    "switch_picture": "Switch ports", "switch_up_down": "{up} up, {down} down",
    "port": "Port", "port_status": "Status", "port_up": "up", "port_down": "down", "port_trunk": "trunk",
    "port_trunk_short": "T", "port_aggregate": "link aggregate", "port_aggregate_short": "A",
    "port_member_of": "member of {lag}", "port_behind": "{count} behind", "port_macs": "MAC addresses seen",
    "port_neighbours": "Neighbours (LLDP/CDP)", "port_connections": "Behind each port",
    "printer_total_pages": "Total counter: {pages} pages", "supply_low": "low",
    "supply_some_left": "Some left", "supply_unknown": "Level unknown",
})  # fmt: skip
