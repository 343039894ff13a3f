package GLPI::Agent::Tools::PartNumber::KingMax;

use strict;
use warnings;

use parent 'GLPI::Agent::Tools::PartNumber';

use constant match_re   => undef;

use constant category       => "memory";
use constant manufacturer   => "KingMax";
use constant mm_id          => "Bank 4, Hex 0x25";

1;
