#!/usr/bin/perl
# A stand-in for ipvsadm that the Perl ldirectord runs when started with -d from this file's directory as
# ./ipvsadm (docs/behaviour.md §1.1). It records every call (ipvsadm.calls), keeps the table it was told to
# build (ipvsadm.state, Storable) and answers the two listings the Perl ldirectord reads, `-L -n` and
# `-L -n --thresholds`, in ipvsadm 1.31's layout. `-S -n` prints the table as the kernel would hold it (a
# gate/ipip destination of a TCP/UDP service takes the service's port, docs/compat.md "Ports of real servers"),
# with the thresholds appended as ` -x U -y L` when set (the real save format has none). The destinations are
# stored as given, so the Perl ldirectord sees back exactly what it programmed.
use strict;
use warnings;
use Storable qw(retrieve nstore);

my $STATE = 'ipvsadm.state';
open(my $log, '>>', 'ipvsadm.calls') or die "ipvsadm.calls: $!";
print $log join(' ', @ARGV), "\n";
close($log);

my $t = -e $STATE ? retrieve($STATE) : { order => [], svc => {} };

sub save { nstore($t, $STATE) or die "$STATE: $!"; }
sub fail { print STDERR "fake ipvsadm: $_[0]\n"; exit 1; }

my @a = @ARGV;
my $cmd = shift @a // '';
my %o;
my ($kind, $vkey);
while (@a) {
	my $x = shift @a;
	if ($x eq '-t' || $x eq '-u' || $x eq '-f') { $kind = $x; $vkey = shift @a; }
	elsif ($x eq '-6') { $o{six} = 1; }
	elsif ($x eq '-o') { $o{ops} = 1; }
	elsif ($x eq '-n' || $x eq '--thresholds') { $o{$x} = 1; }
	elsif ($x =~ /^-[sprMbwxy]$/ || $x =~ /^-[M]$/) { $o{$x} = shift @a; }
	elsif ($x =~ /^-[gmi]$/) { $o{fwd} = $x; }
	else { fail("unknown argument $x"); }
}
my $id = defined $kind ? "$kind $vkey" . ($o{six} ? ' -6' : '') : undef;

if ($cmd eq '-A' || $cmd eq '-E') {
	fail('service exists') if $cmd eq '-A' && $t->{svc}{$id};
	fail('no such service') if $cmd eq '-E' && !$t->{svc}{$id};
	my $old = $t->{svc}{$id};
	push @{$t->{order}}, $id unless $old;
	$t->{svc}{$id} = { sched => $o{'-s'} // 'wlc', p => $o{'-p'}, M => $o{'-M'}, b => $o{'-b'}, ops => $o{ops},
		dests => $old ? $old->{dests} : [] };
} elsif ($cmd eq '-D') {
	fail('no such service') unless $t->{svc}{$id};
	delete $t->{svc}{$id};
	$t->{order} = [grep { $_ ne $id } @{$t->{order}}];
} elsif ($cmd eq '-a' || $cmd eq '-e' || $cmd eq '-d') {
	my $s = $t->{svc}{$id} or fail('no such service');
	my ($i) = grep { $s->{dests}[$_]{r} eq $o{'-r'} } 0 .. $#{$s->{dests}};
	fail('destination exists') if $cmd eq '-a' && defined $i;
	fail('no such destination') if $cmd ne '-a' && !defined $i;
	if ($cmd eq '-d') { splice(@{$s->{dests}}, $i, 1); }
	else {
		my $d = { r => $o{'-r'}, fwd => $o{fwd} // '-g', w => $o{'-w'} // 1, x => $o{'-x'} // 0, y => $o{'-y'} // 0 };
		if (defined $i) { $s->{dests}[$i] = $d; } else { push @{$s->{dests}}, $d; }
	}
} elsif ($cmd eq '-C') {
	$t = { order => [], svc => {} };
} elsif ($cmd eq '-L' || $cmd eq '-S') {
	list($cmd eq '-S', $o{'--thresholds'});
	exit 0;
} else {
	fail("unknown command $cmd");
}
save();
exit 0;

sub list {
	my ($save, $thresholds) = @_;
	my %fwdname = ('-g' => 'Route', '-m' => 'Masq', '-i' => 'Tunnel');
	unless ($save) {
		print "IP Virtual Server version 1.2.1 (size=4096)\n";
		print "Prot LocalAddress:Port Scheduler Flags\n";
		print $thresholds ? "  -> RemoteAddress:Port            Uthreshold Lthreshold ActiveConn InActConn\n"
			: "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
	}
	for my $id (@{$t->{order}}) {
		my $s = $t->{svc}{$id};
		my ($k, $v, $six) = split / /, $id;
		if ($save) {
			my $line = "-A $id -s $s->{sched}";
			if (defined $s->{p}) {
				$line .= " -p $s->{p}";
				$line .= " -M $s->{M}" if defined $s->{M} && $s->{M} ne '255.255.255.255' && $s->{M} ne '128';
			}
			$line .= ' -o' if $s->{ops};
			$line .= " -b $s->{b}" if defined $s->{b};
			print "$line\n";
		} else {
			my $prot = { '-t' => 'TCP', '-u' => 'UDP', '-f' => 'FWM' }->{$k};
			my $line = sprintf('%-4s %s%s %s', $prot, $v, $six ? ' IPv6' : '', $s->{sched});
			$line .= " persistent $s->{p}" if defined $s->{p};
			$line .= " mask $s->{M}" if defined $s->{p} && defined $s->{M};
			$line .= ' ops' if $s->{ops};
			print "$line\n";
		}
		for my $d (@{$s->{dests}}) {
			my $r = $d->{r};
			if ($save) {
				if ($k ne '-f' && $d->{fwd} ne '-m') { my ($vp) = $v =~ /:(\d+)$/; $r =~ s/:\d+$/:$vp/; }
				my $line = "-a $id -r $r $d->{fwd} -w $d->{w}";
				$line .= ' --tun-type ipip' if $d->{fwd} eq '-i';
				$line .= " -x $d->{x} -y $d->{y}" if $d->{x} || $d->{y};
				print "$line\n";
			} elsif ($thresholds) {
				printf("  -> %-28s %-10s %-10s %-10s %s\n", $r, $d->{x}, $d->{y}, 0, 0);
			} else {
				printf("  -> %-28s %-7s %-6s %-10s %s\n", $r, $fwdname{$d->{fwd}}, $d->{w}, 0, 0);
			}
		}
	}
}
