import type { Messages } from './en.ts';

/** French. */
const messages: Messages = {
  // Shared
  'common.loading': 'Chargement des moyens de paiement…',
  'common.retry': 'Réessayer',
  'common.cancel': 'Annuler',
  'common.close': 'Fermer',

  // kassa-method-picker
  'picker.label': 'Moyen de paiement',
  'picker.empty': 'Aucun moyen de paiement n’est disponible pour cette commande.',
  'picker.group.card': 'Cartes',
  'picker.group.wallet': 'Portefeuilles électroniques',
  'picker.group.bank': 'Paiement bancaire',
  'picker.group.invoice': 'Facture',
  'picker.group.installments': 'Paiement en plusieurs fois',
  'picker.group.mobile': 'Paiement mobile',
  'picker.group.health': 'Comptes santé',
  'picker.group.other': 'Autres moyens de paiement',
  'picker.provider.hero': 'Hero',
  'picker.provider.milkypay': 'MilkyPay',
  'picker.provider.hidirect': 'hi.health',
  'picker.provider.whenthen': 'WhenThen',
  'picker.provider.kronor': 'Kronor',
  'picker.logoAlt': 'Logo {name}',

  // kassa-method-fields
  'fields.legend': 'Informations pour {method}',
  'fields.required': 'Obligatoire',
  'fields.error.required': 'Veuillez renseigner le champ « {field} ».',
  'fields.error.pattern': 'Le champ « {field} » semble incorrect.',
  'fields.error.tooLong': 'Le champ « {field} » est trop long.',
  'fields.phone': 'Numéro de mobile',
  'fields.phone.hint': 'Le numéro utilisé par votre app Swish, p. ex. 0701234567',
  'fields.phone.error': 'Saisissez un numéro de mobile suédois, p. ex. 0701234567.',
  'fields.companyName': 'Nom de l’entreprise',
  'fields.addressLine1': 'Adresse',
  'fields.postalCode': 'Code postal',
  'fields.city': 'Ville',
  'fields.email': 'E-mail',
  'fields.email.error': 'Saisissez une adresse e-mail, p. ex. nom@exemple.fr.',
  'fields.phoneNumber': 'Numéro de téléphone',

  // kassa-checkout
  'checkout.title': 'Paiement',
  'checkout.pay': 'Payer {amount}',
  'checkout.paying': 'Lancement du paiement…',
  'checkout.choose': 'Choisissez un moyen de paiement pour continuer.',
  'checkout.total': 'Total',
  'checkout.error.kronor': 'Le paiement n’a pas pu être lancé. Veuillez réessayer.',

  // kassa-redirect
  'redirect.going': 'Redirection vers {provider} pour le paiement…',
  'redirect.continue': 'Continuer vers le paiement',
  'redirect.notice': 'Si rien ne se passe, utilisez le bouton.',
  'redirect.unsafe': 'Impossible de poursuivre le paiement : l’adresse de la page de paiement n’est pas fiable.',
  'redirect.goingGeneric': 'Redirection vers la page de paiement…',

  // kassa-qr
  'qr.title': 'Scannez pour payer',
  'qr.instructions': 'Ouvrez {app} sur votre téléphone et scannez le code.',
  'qr.openApp': 'Ouvrir {app}',
  'qr.expiresIn': 'Expire dans {time}',
  'qr.expired': 'Le code a expiré.',
  'qr.alt': 'QR code pour payer avec {app}',
  'qr.appFallback': 'votre app de paiement',

  // kassa-status
  'status.created': 'Paiement créé.',
  'status.action_required': 'En attente de la finalisation de votre paiement.',
  'status.pending': 'En attente de la confirmation du paiement…',
  'status.processing': 'Paiement en cours de traitement…',
  'status.authorized': 'Paiement autorisé.',
  'status.paid': 'Paiement effectué. Merci !',
  'status.failed': 'Le paiement a échoué.',
  'status.declined': 'Le paiement a été refusé.',
  'status.cancelled': 'Le paiement a été annulé.',
  'status.expired': 'Le paiement a expiré.',
  'status.refunded': 'Le paiement a été remboursé.',
  'status.partially_refunded': 'Le paiement a été partiellement remboursé.',
  'status.unknown': 'Nous n’avons pas trouvé ce paiement.',
  'status.reconnecting': 'Connexion perdue, nouvelle vérification…',
  'status.checking': 'Vérification du statut du paiement…',

  // Problems from the endpoint
  'error.invalid-body': 'Un problème est survenu avec la demande. Veuillez réessayer.',
  'error.unsupported-media-type': 'Un problème est survenu avec la demande. Veuillez réessayer.',
  'error.body-too-large': 'Un problème est survenu avec la demande. Veuillez réessayer.',
  'error.idempotency-key-required': 'Un problème est survenu avec la demande. Veuillez réessayer.',
  'error.idempotency-conflict': 'Ce paiement a déjà été lancé avec d’autres informations. Veuillez recommencer.',
  'error.invalid-token': 'Votre session de paiement a expiré. Veuillez recommencer.',
  'error.token-mismatch': 'Votre commande a changé. Veuillez relancer le paiement.',
  'error.origin-not-allowed': 'Cette boutique ne peut pas accepter de paiements pour le moment.',
  'error.order-not-found': 'Nous n’avons pas trouvé votre commande.',
  'error.order-refused': 'Cette commande ne peut pas être payée pour le moment.',
  'error.unknown-method': 'Ce moyen de paiement n’est pas disponible pour votre commande.',
  'error.invalid-fields': 'Veuillez vérifier les informations saisies.',
  'error.payment-not-found': 'Nous n’avons pas trouvé ce paiement.',
  'error.not-found': 'Cette boutique ne peut pas accepter de paiements pour le moment.',
  'error.method-not-allowed': 'Cette boutique ne peut pas accepter de paiements pour le moment.',
  'error.unknown-provider': 'Cette boutique ne peut pas accepter de paiements pour le moment.',
  'error.webhook-invalid': 'Cette boutique ne peut pas accepter de paiements pour le moment.',
  'error.rate-limited': 'Trop de tentatives. Veuillez patienter une minute, puis réessayer.',
  'error.provider-refused': 'Le prestataire de paiement n’a pas accepté ce paiement.',
  'error.provider-unavailable': 'Le prestataire de paiement ne répond pas. Veuillez réessayer dans un instant.',
  'error.unsafe-redirect': 'Impossible de poursuivre le paiement : l’adresse de la page de paiement n’est pas fiable.',
  'error.internal': 'Un problème est survenu de notre côté. Veuillez réessayer.',
  'error.network': 'Impossible de joindre la boutique. Vérifiez votre connexion et réessayez.',
  'error.generic': 'Un problème est survenu. Veuillez réessayer.',
};

export default messages;
